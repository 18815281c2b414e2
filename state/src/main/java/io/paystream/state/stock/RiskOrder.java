package io.paystream.state.stock;

/** One order counted in a subject's window (MapState entry keyed by order id). */
public class RiskOrder {
    public long createdAtMs;
    public boolean unpaid;
    public long version;
    /**
     * An alert named this order already. Ranking by {@code created_at} could name it again in a
     * later episode (an older order read late); an alert id must never repeat.
     */
    public boolean named;

    public RiskOrder() {}
}
