package io.paystream.functions.callbacks;

import io.paystream.state.contract.Money;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.util.Map;

/**
 * Alipay notifications: allowlist, RSA2 signature over the sorted form, our app_id, replay window
 * on notify_time. A trade notify that tells a refund ({@link AlipayRefunds}) passes the same checks
 * and becomes a refund notification instead of a payment one.
 */
final class AlipayVerifier {
    private final ChannelCredentials.Loaded keys;
    private final long replayWindowMs;
    private final String alipayAppId;
    private final Crypto crypto;

    AlipayVerifier(ChannelCredentials credentials, ChannelCredentials.Loaded keys, Crypto crypto) {
        this.keys = keys;
        this.replayWindowMs = credentials.replayWindowMs;
        this.alipayAppId = credentials.alipayAppId;
        this.crypto = crypto;
    }

    Verdict verify(Envelope e) {
        if (!keys.alipayAllow.allows(e.sourceAddress)) {
            return formClaim(e).forged("source address " + e.sourceAddress + " is not allowed for ALIPAY", e.notifyId);
        }
        if (keys.alipayKey == null) {
            return formClaim(e).forged("ALIPAY is not configured here", e.notifyId);
        }
        Map<String, String> p = Forms.parse(e.body);
        String sign = Forms.required(p, "sign");
        String paymentId = Forms.required(p, "out_trade_no");
        boolean refund = AlipayRefunds.isRefund(p);
        Claim claim = refund
                ? new Claim(ChannelVerifiers.claimed(paymentId), ChannelVerifiers.claimed(p.get("out_biz_no")))
                : Claim.payment(ChannelVerifiers.claimed(paymentId));
        if (!"RSA2".equals(p.get("sign_type"))) {
            return claim.forged("sign_type '" + p.get("sign_type") + "' is not RSA2", e.notifyId);
        }
        if (!crypto.verifyRsa(keys.alipayKey, Forms.sortedContent(p, "sign", "sign_type"), sign)) {
            return claim.forged("Alipay RSA2 signature does not verify", e.notifyId);
        }
        if (alipayAppId != null && !alipayAppId.equals(p.get("app_id"))) {
            return claim.forged("app_id " + p.get("app_id") + " is not ours", e.notifyId);
        }
        long notifyTime = Forms.alipayTime(Forms.required(p, "notify_time"));
        if (Math.abs(e.receivedAt - notifyTime) > replayWindowMs) {
            // Genuinely signed: the ids are the channel's word, unbounded as verified ids are.
            return new Claim(paymentId, refund ? p.get("out_biz_no") : null)
                    .stale(
                            "Alipay notify_time " + p.get("notify_time") + " is "
                                    + Math.abs(e.receivedAt - notifyTime) / 1000 + " s from its receipt",
                            e.notifyId);
        }
        if (refund) {
            // A refund told on the trade notify: a refund notification, never a second payment outcome.
            return Verdict.acceptedRefund(AlipayRefunds.notification(p, e));
        }
        PaymentNotification n = new PaymentNotification();
        n.paymentId = paymentId;
        n.channel = PaymentChannel.ALIPAY;
        n.channelTxnId = p.get("trade_no");
        n.amountCents = Money.cents(Forms.required(p, "total_amount"));
        n.status = status(Forms.required(p, "trade_status"));
        String gmtPayment = p.get("gmt_payment");
        n.paidAt = gmtPayment == null || gmtPayment.isEmpty() ? 0 : Forms.alipayTime(gmtPayment);
        n.source = PaymentNotification.CALLBACK;
        n.notifyId = p.getOrDefault("notify_id", e.notifyId);
        n.receivedAt = e.receivedAt;
        return Verdict.accepted(n);
    }

    /**
     * What a rejected notification claims, from its plain form: {@code out_trade_no}, and
     * {@code out_biz_no} when it names a refund (one scan per parameter, no full parse).
     */
    private static Claim formClaim(Envelope e) {
        String paymentId = ChannelVerifiers.formClaim(e, "out_trade_no");
        String refundId = ChannelVerifiers.formClaim(e, "out_biz_no");
        return refundId == null ? Claim.payment(paymentId) : new Claim(paymentId, refundId);
    }

    static PaymentStatus status(String tradeStatus) {
        switch (tradeStatus) {
            case "TRADE_SUCCESS":
            case "TRADE_FINISHED":
                return PaymentStatus.SUCCESS;
            case "TRADE_CLOSED":
                return PaymentStatus.CLOSED;
            case "WAIT_BUYER_PAY":
                return null;
            default:
                throw new IllegalArgumentException("unknown trade_status '" + tradeStatus + "'");
        }
    }
}
