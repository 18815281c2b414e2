package io.paystream.functions.callbacks;

import io.paystream.state.contract.Money;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.util.Map;

/**
 * Alipay notifications: allowlist, RSA2 signature over the sorted form, our app_id, replay window
 * on notify_time.
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
            return Verdict.forged(
                    "source address " + e.sourceAddress + " is not allowed for ALIPAY",
                    ChannelVerifiers.formClaim(e, "out_trade_no"),
                    e.notifyId);
        }
        if (keys.alipayKey == null) {
            return Verdict.forged(
                    "ALIPAY is not configured here", ChannelVerifiers.formClaim(e, "out_trade_no"), e.notifyId);
        }
        Map<String, String> p = Forms.parse(e.body);
        String sign = Forms.required(p, "sign");
        String paymentId = Forms.required(p, "out_trade_no");
        if (!"RSA2".equals(p.get("sign_type"))) {
            return Verdict.forged(
                    "sign_type '" + p.get("sign_type") + "' is not RSA2",
                    ChannelVerifiers.claimed(paymentId),
                    e.notifyId);
        }
        if (!crypto.verifyRsa(keys.alipayKey, Forms.sortedContent(p, "sign", "sign_type"), sign)) {
            return Verdict.forged(
                    "Alipay RSA2 signature does not verify", ChannelVerifiers.claimed(paymentId), e.notifyId);
        }
        if (alipayAppId != null && !alipayAppId.equals(p.get("app_id"))) {
            return Verdict.forged(
                    "app_id " + p.get("app_id") + " is not ours", ChannelVerifiers.claimed(paymentId), e.notifyId);
        }
        long notifyTime = Forms.alipayTime(Forms.required(p, "notify_time"));
        if (Math.abs(e.receivedAt - notifyTime) > replayWindowMs) {
            return Verdict.stale(
                    "Alipay notify_time " + p.get("notify_time") + " is " + Math.abs(e.receivedAt - notifyTime) / 1000
                            + " s from its receipt",
                    paymentId,
                    e.notifyId);
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
