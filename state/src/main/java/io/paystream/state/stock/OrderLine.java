package io.paystream.state.stock;

/** One {@code order_items} row as the order stage keeps it; quantity 0 marks a deleted line. */
public class OrderLine {
    public long skuId;
    public long quantity;
    public long unitPriceCents;
    /** Binlog version of the newest row of this item applied. */
    public long version;

    public OrderLine() {}

    public OrderLine(long skuId, long quantity, long unitPriceCents, long version) {
        this.skuId = skuId;
        this.quantity = quantity;
        this.unitPriceCents = unitPriceCents;
        this.version = version;
    }
}
