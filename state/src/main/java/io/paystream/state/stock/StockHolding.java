package io.paystream.state.stock;

/**
 * The absolute holding of one order in one SKU, from the order stage to the SKU ledger: all of the
 * order's units of that SKU and their phase. Absolute, not a delta: the ledger replaces the order's
 * previous holding with it, so a repeated or replayed holding cannot count twice.
 */
public class StockHolding {
    public long skuId;
    public long orderId;
    public long userId;
    /** The order's created_at: ranks a user's orders against a purchase limit. */
    public long createdAtMs;
    /** All units of the SKU in the order (the sum over its lines); 0 when none are left. */
    public long quantity;
    /** What those units cost, in fen (unit price times quantity over the lines). */
    public long amountCents;

    public HoldingPhase phase;
    /** Per order, increasing with every change the order stage emits; an older one is stale. */
    public int revision;

    public StockHolding() {}

    public StockHolding(
            long skuId,
            long orderId,
            long userId,
            long createdAtMs,
            long quantity,
            long amountCents,
            HoldingPhase phase,
            int revision) {
        this.skuId = skuId;
        this.orderId = orderId;
        this.userId = userId;
        this.createdAtMs = createdAtMs;
        this.quantity = quantity;
        this.amountCents = amountCents;
        this.phase = phase;
        this.revision = revision;
    }

    @Override
    public String toString() {
        return "StockHolding{sku=" + skuId + ", order=" + orderId + ", user=" + userId + ", qty=" + quantity + ", "
                + phase + ", rev=" + revision + '}';
    }
}
