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

    /**
     * Values are set by name, never by position: {@code new StockHolding().sku(1).order(2).user(3)
     * .orderCreatedAtMs(t).quantity(2).amountCents(1998).phase(OPEN).revision(1)} (six longs in a row
     * would be easy to swap). The fields stay as they are: this is a stream type, and a POJO.
     */
    public StockHolding sku(long v) {
        this.skuId = v;
        return this;
    }

    public StockHolding order(long v) {
        this.orderId = v;
        return this;
    }

    public StockHolding user(long v) {
        this.userId = v;
        return this;
    }

    public StockHolding orderCreatedAtMs(long v) {
        this.createdAtMs = v;
        return this;
    }

    public StockHolding quantity(long v) {
        this.quantity = v;
        return this;
    }

    public StockHolding amountCents(long v) {
        this.amountCents = v;
        return this;
    }

    public StockHolding phase(HoldingPhase v) {
        this.phase = v;
        return this;
    }

    public StockHolding revision(int v) {
        this.revision = v;
        return this;
    }

    @Override
    public String toString() {
        return "StockHolding{sku=" + skuId + ", order=" + orderId + ", user=" + userId + ", qty=" + quantity + ", "
                + phase + ", rev=" + revision + '}';
    }
}
