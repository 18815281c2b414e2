package io.paystream.state.refunds;

import io.paystream.state.shop.PaymentChannel;

/**
 * A verified notification about one refund: a channel callback whose signature, key, replay window
 * and source address checked out. Not yet matched against the refund row, nor deduplicated. Amounts
 * are whole fen; an amount the channel does not state is null, never guessed.
 */
public class RefundNotification {
    public static final String CALLBACK = "CALLBACK";
    public static final String QUERY = "QUERY";

    /** The shop's refund id: WeChat Pay's {@code out_refund_no}, Alipay's {@code out_biz_no}, UnionPay's {@code orderId}. */
    public String refundId;
    /**
     * The refunded payment ({@code out_trade_no}); null when the channel does not name it (a UnionPay
     * refund names the payment only by {@link #paymentChannelTxnId}).
     */
    public String paymentId;

    public PaymentChannel channel;
    /** The channel's id of the refund (WeChat Pay's {@code refund_id}, UnionPay's {@code queryId}); null if none. */
    public String channelRefundId;
    /** The channel's id of the refunded payment (WeChat's {@code transaction_id}, Alipay's {@code trade_no}, UnionPay's {@code origQryId}). */
    public String paymentChannelTxnId;
    /** This refund's amount in fen; null when the channel states only the cumulative refund (Alipay). */
    public Long refundAmountCents;
    /** The payment's total in fen, when the channel states it (WeChat Pay, Alipay). */
    public Long paymentTotalCents;
    /** All refunded of the payment so far in fen, this refund included, when the channel states it (Alipay's {@code refund_fee}). */
    public Long refundedTotalCents;
    /** SUCCESS, FAILED or CLOSED; null when the channel knows no final outcome yet. */
    public RefundStatus status;
    /** When the refund succeeded, epoch ms; 0 if unknown or not successful. */
    public long refundedAt;
    /** {@link #CALLBACK} or {@link #QUERY}. */
    public String source;
    /** The channel's notification id. */
    public String notifyId;
    /** When the gateway received it. */
    public long receivedAt;

    public RefundNotification() {}

    @Override
    public String toString() {
        return "RefundNotification{" + source + " " + channel + " " + refundId + " of " + paymentId + " " + status + " "
                + refundAmountCents + '}';
    }
}
