package io.paystream.state.stock;

/** One order counted in a subject's window (MapState entry keyed by order id). */
public class RiskOrder {
    public long createdAtMs;
    public boolean unpaid;
    public long version;

    public RiskOrder() {}
}
