package io.paystream.state.stock;

/** One order's units in one SKU, as the ledger keeps them (MapState entry keyed by order id). */
public class SkuHolding {
    public long userId;
    public long createdAtMs;
    public long quantity;
    public long amountCents;
    public HoldingPhase phase;
    public int revision;
    /** The SKU's sale sequence number when this order's units became sold (0: not sold). */
    public long saleSeq;
    /** OVERSOLD was raised for this order. */
    public boolean oversold;
    /** PURCHASE_LIMIT_EXCEEDED was raised for this order. */
    public boolean overLimit;

    public SkuHolding() {}

    public long liveUnits() {
        return phase != null && phase.isLive() ? quantity : 0;
    }
}
