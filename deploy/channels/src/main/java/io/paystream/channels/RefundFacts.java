package io.paystream.channels;

import java.time.Instant;

/**
 * What a channel knows of one refund when it notifies it.
 *
 * @param refundId          the shop's refund id ({@code out_refund_no}, Alipay's {@code out_biz_no}, UnionPay's {@code orderId})
 * @param paymentId         the refunded payment's id ({@code out_trade_no})
 * @param paymentTxnId      the channel's id of the refunded payment ({@code transaction_id}, {@code trade_no}, {@code origQryId})
 * @param channelRefundId   the channel's own refund id ({@code refund_id}, UnionPay's {@code queryId})
 * @param amountCents       this refund, in fen
 * @param totalCents        the payment's total, in fen
 * @param refundedTotalCents all refunded of the payment with this refund, in fen (Alipay's {@code refund_fee})
 * @param status            SUCCESS, ABNORMAL or CLOSED (WeChat Pay's words; Alipay notifies SUCCESS only)
 * @param refundedAt        when the refund succeeded (null if it did not)
 */
public record RefundFacts(
        String refundId,
        String paymentId,
        String paymentTxnId,
        String channelRefundId,
        long amountCents,
        long totalCents,
        long refundedTotalCents,
        String status,
        Instant refundedAt) {

    /** A successful refund, the first of its payment (so all refunded is this refund). */
    public static RefundFacts succeeded(
            String refundId, String paymentId, String paymentTxnId, long amountCents, long totalCents, Instant at) {
        return new RefundFacts(
                refundId,
                paymentId,
                paymentTxnId,
                "RF" + refundId,
                amountCents,
                totalCents,
                amountCents,
                "SUCCESS",
                at);
    }

    public RefundFacts withStatus(String newStatus) {
        return new RefundFacts(
                refundId,
                paymentId,
                paymentTxnId,
                channelRefundId,
                amountCents,
                totalCents,
                refundedTotalCents,
                newStatus,
                "SUCCESS".equals(newStatus) ? refundedAt : null);
    }

    /** The same refund after earlier ones of the payment: all refunded is {@code cents}. */
    public RefundFacts withRefundedTotal(long cents) {
        return new RefundFacts(
                refundId, paymentId, paymentTxnId, channelRefundId, amountCents, totalCents, cents, status, refundedAt);
    }

    static String yuan(long cents) {
        return java.math.BigDecimal.valueOf(cents, 2).toPlainString();
    }
}
