package io.paystream.functions.callbacks;

import io.paystream.state.contract.Money;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentChannel;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Alipay refunds, which have no notification of their own: a refund of a trade is told on the
 * trade's asynchronous notify (the payment's notify_url), with {@code refund_fee} (all refunded of
 * the trade so far, yuan), {@code out_biz_no} (the refund request's {@code out_request_no}: the
 * shop's refund id) and {@code gmt_refund}; {@code trade_status} stays TRADE_SUCCESS after a partial
 * refund and turns TRADE_CLOSED after a full one. Alipay's FAQ as quoted at
 * https://blog.csdn.net/qq_42978230/article/details/146307860 ("如何区分支付和退款触发的通知":
 * refund_fee, gmt_refund; out_biz_no = out_request_no) and the notify's field list at
 * https://blog.csdn.net/weixin_57467236/article/details/126663094 (outBizNo, refundFee, gmtRefund).
 */
final class AlipayRefunds {
    /** gmt_refund is Beijing time, published with milliseconds ({@code 2015-04-28 15:45:57.320}); accept both. */
    private static final DateTimeFormatter GMT_REFUND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    private AlipayRefunds() {}

    /** A trade notify that tells a refund: it names the refund request or a refunded amount. */
    static boolean isRefund(Map<String, String> p) {
        return present(p.get("out_biz_no")) || present(p.get("refund_fee"));
    }

    /**
     * The refund a verified trade notify tells. Alipay notifies a refund once it succeeded, so the
     * status is SUCCESS; the refund's own amount is not stated (only the cumulative refund_fee).
     */
    static RefundNotification notification(Map<String, String> p, Envelope e) {
        RefundNotification n = new RefundNotification();
        n.refundId = Forms.required(p, "out_biz_no");
        n.paymentId = Forms.required(p, "out_trade_no");
        n.channel = PaymentChannel.ALIPAY;
        n.paymentChannelTxnId = p.get("trade_no");
        n.refundedTotalCents = Money.cents(Forms.required(p, "refund_fee"));
        String total = p.get("total_amount");
        n.paymentTotalCents = present(total) ? Money.cents(total) : null;
        AlipayVerifier.status(Forms.required(p, "trade_status")); // a known trade status, else malformed
        n.status = RefundStatus.SUCCESS;
        String gmtRefund = p.get("gmt_refund");
        n.refundedAt = present(gmtRefund)
                ? LocalDateTime.parse(gmtRefund, GMT_REFUND)
                        .toInstant(Forms.BEIJING)
                        .toEpochMilli()
                : 0;
        n.source = RefundNotification.CALLBACK;
        n.notifyId = p.getOrDefault("notify_id", e.notifyId);
        n.receivedAt = e.receivedAt;
        return n;
    }

    private static boolean present(String v) {
        return v != null && !v.isEmpty();
    }
}
