package io.paystream.state.search;

import io.paystream.state.shop.ExtraColumn;
import java.util.Arrays;
import java.util.Objects;

/**
 * One order as the Elasticsearch index {@code orders} holds it (docs/contract.md): the order's own
 * fields, its items and payments, and fields derived from them. Money is an exact decimal string
 * in yuan, times are epoch milliseconds. Arrays rather than lists keep it a Flink POJO (no Kryo).
 */
public class OrderDocument {
    /** No payment row yet. */
    public static final String PAYMENT_NONE = "NONE";
    /** At least one payment SUCCESS. */
    public static final String PAYMENT_PAID = "PAID";
    /** No SUCCESS, at least one PAYING. */
    public static final String PAYMENT_PAYING = "PAYING";
    /** No SUCCESS or PAYING, at least one CREATED. */
    public static final String PAYMENT_PENDING = "PENDING";
    /** Every payment FAILED or CLOSED. */
    public static final String PAYMENT_FAILED = "FAILED";

    public long orderId;
    /** The order's number, when the shop's mapping names one; null otherwise. */
    public String orderNo;

    public long userId;
    public String status;
    public String totalAmount;
    public String submitHash;
    public String clientIp;
    public long createdAt;
    public long updatedAt;
    /** Sorted by item id. */
    public Item[] items;
    /** Sorted by payment id. */
    public Payment[] payments;

    /** The order's payment state, derived from its payments: one of the {@code PAYMENT_*} values. */
    public String paymentStatus;
    /** The earliest {@code updated_at} of a SUCCESS payment; absent when none succeeded. */
    public Long paidAt;
    /** Sum of the SUCCESS payments' amounts. */
    public String paidAmount;
    /** The order's refunds (the payment center's {@code refunds}), sorted by refund id; empty when none. */
    public Refund[] refunds;
    /** Sum of the SUCCESS refunds' amounts ({@code "0.00"} when none). */
    public String refundedAmount;

    public int itemCount;
    public long totalQuantity;
    /**
     * When the newest change merged into this document was committed, as well as paystream knows
     * it: the later of the binlog event time (whole seconds) and the changed row's own
     * {@code updated_at}. For a document built from snapshot rows only: the newest {@code updated_at}.
     */
    public long lastChangeAt;
    /** The extra order columns of the mapping's {@code search-fields}; null when it names none. */
    public ExtraColumn[] extra;

    public OrderDocument() {}

    /** One row of {@code order_items}. */
    public static class Item {
        public long itemId;
        public long skuId;
        public int quantity;
        public String unitPrice;
        /** quantity x unitPrice, exact. */
        public String amount;

        public Item() {}

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Item)) return false;
            Item i = (Item) o;
            return itemId == i.itemId
                    && skuId == i.skuId
                    && quantity == i.quantity
                    && Objects.equals(unitPrice, i.unitPrice)
                    && Objects.equals(amount, i.amount);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(itemId);
        }

        @Override
        public String toString() {
            return "Item{" + itemId + ", sku " + skuId + " x" + quantity + " @" + unitPrice + '}';
        }
    }

    /** One row of {@code payments}. */
    public static class Payment {
        public String paymentId;
        public String channel;
        public String amount;
        public String status;
        public String channelTxnId;
        public long createdAt;
        public long updatedAt;

        public Payment() {}

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Payment)) return false;
            Payment p = (Payment) o;
            return createdAt == p.createdAt
                    && updatedAt == p.updatedAt
                    && Objects.equals(paymentId, p.paymentId)
                    && Objects.equals(channel, p.channel)
                    && Objects.equals(amount, p.amount)
                    && Objects.equals(status, p.status)
                    && Objects.equals(channelTxnId, p.channelTxnId);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(paymentId);
        }

        @Override
        public String toString() {
            return "Payment{" + paymentId + ", " + channel + " " + amount + " " + status + '}';
        }
    }

    /** One row of {@code refunds}. */
    public static class Refund {
        public String refundId;
        public String paymentId;
        public String channel;
        public String amount;
        public String status;
        public String channelRefundId;
        public long createdAt;
        public long updatedAt;

        public Refund() {}

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Refund)) return false;
            Refund r = (Refund) o;
            return createdAt == r.createdAt
                    && updatedAt == r.updatedAt
                    && Objects.equals(refundId, r.refundId)
                    && Objects.equals(paymentId, r.paymentId)
                    && Objects.equals(channel, r.channel)
                    && Objects.equals(amount, r.amount)
                    && Objects.equals(status, r.status)
                    && Objects.equals(channelRefundId, r.channelRefundId);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(refundId);
        }

        @Override
        public String toString() {
            return "Refund{" + refundId + " of " + paymentId + ", " + amount + " " + status + '}';
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OrderDocument)) return false;
        OrderDocument d = (OrderDocument) o;
        return orderId == d.orderId
                && userId == d.userId
                && createdAt == d.createdAt
                && updatedAt == d.updatedAt
                && itemCount == d.itemCount
                && totalQuantity == d.totalQuantity
                && lastChangeAt == d.lastChangeAt
                && Objects.equals(status, d.status)
                && Objects.equals(totalAmount, d.totalAmount)
                && Objects.equals(submitHash, d.submitHash)
                && Objects.equals(clientIp, d.clientIp)
                && Objects.equals(orderNo, d.orderNo)
                && Arrays.equals(extra, d.extra)
                && Arrays.equals(items, d.items)
                && Arrays.equals(payments, d.payments)
                && Objects.equals(paymentStatus, d.paymentStatus)
                && Objects.equals(paidAt, d.paidAt)
                && Objects.equals(paidAmount, d.paidAmount)
                && Arrays.equals(refunds, d.refunds)
                && Objects.equals(refundedAmount, d.refundedAmount);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(orderId);
    }

    @Override
    public String toString() {
        return "OrderDocument{" + orderId + ", " + status + ", payment " + paymentStatus + ", items="
                + Arrays.toString(items) + ", payments=" + Arrays.toString(payments) + '}';
    }
}
