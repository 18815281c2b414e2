package io.paystream.state.shop;

import java.util.Objects;

/** One row of {@code shop.payments}. {@code paymentId} is the {@code out_trade_no} sent to the channel. */
public class PaymentRow {
    public String paymentId;
    public long orderId;
    /**
     * The order's number (text), when the shop's mapping gives one: on an order row its number; on
     * an item or payment row that references its order by number, that number (its {@code orderId}
     * is then resolved from the order's row before any job sees it). Null otherwise.
     */
    public String orderNo;

    public PaymentChannel channel;
    public long amountCents;
    public PaymentStatus status;
    public String channelTxnId;
    public long createdAtMs;
    public long updatedAtMs;

    public PaymentRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof PaymentRow)) return false;
        PaymentRow r = (PaymentRow) o;
        return orderId == r.orderId
                && Objects.equals(orderNo, r.orderNo)
                && amountCents == r.amountCents
                && createdAtMs == r.createdAtMs
                && updatedAtMs == r.updatedAtMs
                && Objects.equals(paymentId, r.paymentId)
                && channel == r.channel
                && status == r.status
                && Objects.equals(channelTxnId, r.channelTxnId);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(paymentId);
    }

    @Override
    public String toString() {
        return "PaymentRow{paymentId=" + paymentId + ", orderId=" + orderId + ", channel=" + channel + ", amountCents="
                + amountCents + ", status=" + status + ", updatedAtMs=" + updatedAtMs + '}';
    }
}
