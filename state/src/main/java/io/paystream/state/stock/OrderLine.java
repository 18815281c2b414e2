package io.paystream.state.stock;

/**
 * One {@code order_items} row as the order stage keeps it, in its order's state ({@link
 * OrderStockState#lines}); quantity 0 marks a deleted line.
 */
public class OrderLine {
    /** No lines: a new order's. */
    public static final OrderLine[] NONE = new OrderLine[0];

    /**
     * The {@code order_items} row's id. Added with the lines moving into the order's state; lines
     * of an older savepoint's map state (keyed by it) get it when they move.
     */
    public long itemId;

    public long skuId;
    public long quantity;
    public long unitPriceCents;
    /** Binlog version of the newest row of this item applied. */
    public long version;

    public OrderLine() {}

    public OrderLine(long itemId, long skuId, long quantity, long unitPriceCents, long version) {
        this.itemId = itemId;
        this.skuId = skuId;
        this.quantity = quantity;
        this.unitPriceCents = unitPriceCents;
        this.version = version;
    }
}
