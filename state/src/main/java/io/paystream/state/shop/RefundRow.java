package io.paystream.state.shop;

import java.util.Objects;

/**
 * One row of {@code shop.refunds}. {@code refundId} is the shop's refund number sent to the channel
 * (WeChat Pay's {@code out_refund_no}, Alipay's {@code out_request_no}, UnionPay's {@code orderId}).
 */
public class RefundRow {
    public String refundId;
    /** The refunded payment ({@code payments.payment_id}, the channel's {@code out_trade_no}). */
    public String paymentId;

    public long orderId;
    public PaymentChannel channel;
    /** This refund's amount, fen. */
    public long amountCents;

    public RefundRowStatus status;
    /** The channel's id of the refund, once it gave one; null before. */
    public String channelRefundId;

    public long createdAtMs;
    public long updatedAtMs;

    public RefundRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof RefundRow)) return false;
        RefundRow r = (RefundRow) o;
        return orderId == r.orderId
                && amountCents == r.amountCents
                && createdAtMs == r.createdAtMs
                && updatedAtMs == r.updatedAtMs
                && Objects.equals(refundId, r.refundId)
                && Objects.equals(paymentId, r.paymentId)
                && channel == r.channel
                && status == r.status
                && Objects.equals(channelRefundId, r.channelRefundId);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(refundId);
    }

    @Override
    public String toString() {
        return "RefundRow{refundId=" + refundId + ", paymentId=" + paymentId + ", orderId=" + orderId + ", channel="
                + channel + ", amountCents=" + amountCents + ", status=" + status + ", updatedAtMs=" + updatedAtMs
                + '}';
    }
}
