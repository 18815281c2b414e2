package io.paystream.state.shop;

import java.util.Objects;

/** One row of {@code shop.order_items}. */
public class OrderItemRow {
    public long itemId;
    public long orderId;
    /**
     * The order's number (text), when the shop's mapping gives one: on an order row its number; on
     * an item or payment row that references its order by number, that number (its {@code orderId}
     * is then resolved from the order's row before any job sees it). Null otherwise.
     */
    public String orderNo;

    public long skuId;
    public int quantity;
    public long unitPriceCents;

    public OrderItemRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof OrderItemRow)) return false;
        OrderItemRow r = (OrderItemRow) o;
        return itemId == r.itemId
                && orderId == r.orderId
                && Objects.equals(orderNo, r.orderNo)
                && skuId == r.skuId
                && quantity == r.quantity
                && unitPriceCents == r.unitPriceCents;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(itemId);
    }

    @Override
    public String toString() {
        return "OrderItemRow{itemId=" + itemId + ", orderId=" + orderId + ", skuId=" + skuId + ", quantity=" + quantity
                + ", unitPriceCents=" + unitPriceCents + '}';
    }
}
