package io.paystream.state.shop;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of {@code shop.orders}. Money is kept in minor units (fen/cents) as a long: exact, and a
 * third of the size of a BigDecimal in state. Times are epoch milliseconds.
 */
public class OrderRow {
    public long orderId;
    /**
     * The order's number (text), when the shop's mapping gives one: on an order row its number; on
     * an item or payment row that references its order by number, that number (its {@code orderId}
     * is then resolved from the order's row before any job sees it). Null otherwise.
     */
    public String orderNo;

    public long userId;
    public OrderStatus status;
    public long totalAmountCents;
    public String submitHash;
    public String clientIp;
    public long createdAtMs;
    public long updatedAtMs;
    /**
     * Extra columns the order documents carry ({@code extra.<name>} in Elasticsearch), as the
     * mapping's {@code search-fields} name them; null when it names none.
     */
    public ExtraColumn[] extra;

    public OrderRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof OrderRow)) return false;
        OrderRow r = (OrderRow) o;
        return orderId == r.orderId
                && Objects.equals(orderNo, r.orderNo)
                && Arrays.equals(extra, r.extra)
                && userId == r.userId
                && totalAmountCents == r.totalAmountCents
                && createdAtMs == r.createdAtMs
                && updatedAtMs == r.updatedAtMs
                && status == r.status
                && Objects.equals(submitHash, r.submitHash)
                && Objects.equals(clientIp, r.clientIp);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(orderId);
    }

    @Override
    public String toString() {
        return "OrderRow{orderId=" + orderId + ", userId=" + userId + ", status=" + status + ", totalAmountCents="
                + totalAmountCents + ", updatedAtMs=" + updatedAtMs + '}';
    }
}
