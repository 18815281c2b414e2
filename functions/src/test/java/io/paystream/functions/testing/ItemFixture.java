package io.paystream.functions.testing;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.OrderItemRow;

/** An {@code order_items} row change (an insert, or a snapshot row); see {@link Fixtures#item}. */
public final class ItemFixture extends ChangeFixture<OrderItemRow, ItemFixture> {
    private final long itemId;
    private long orderId;
    private String orderNo;
    private long skuId;
    private int quantity = 1;
    private long unitPriceCents = 1000;

    ItemFixture(long itemId) {
        this.itemId = itemId;
    }

    public ItemFixture ofOrder(long orderId) {
        this.orderId = orderId;
        return this;
    }

    /** An item that names its order by number only (its order id is resolved from the order's row). */
    public ItemFixture ofOrderNumber(String orderNo) {
        this.orderNo = orderNo;
        this.orderId = 0;
        return this;
    }

    public ItemFixture sku(long skuId) {
        this.skuId = skuId;
        return this;
    }

    public ItemFixture quantity(int quantity) {
        this.quantity = quantity;
        return this;
    }

    public ItemFixture unitPriceCents(long unitPriceCents) {
        this.unitPriceCents = unitPriceCents;
        return this;
    }

    @Override
    public RowChange<OrderItemRow> change() {
        OrderItemRow i = new OrderItemRow();
        i.itemId = itemId;
        i.orderId = orderId;
        i.orderNo = orderNo;
        i.skuId = skuId;
        i.quantity = quantity;
        i.unitPriceCents = unitPriceCents;
        return new RowChange<>(insertOrRead(), null, i, sourceTsMs, version);
    }
}
