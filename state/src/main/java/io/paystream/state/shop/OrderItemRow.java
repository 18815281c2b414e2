package io.paystream.state.shop;

/** One row of {@code shop.order_items}. */
public class OrderItemRow {
    public long itemId;
    public long orderId;
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
