package io.paystream.functions.callbacks;

import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Map;

/**
 * UnionPay notifications: allowlist, RSA signature by certId (or HMAC where configured) over the
 * sorted form, our merId.
 */
final class UnionPayVerifier {
    private final ChannelCredentials.Loaded keys;
    private final String unionpayMerId;
    private final Crypto crypto;

    UnionPayVerifier(ChannelCredentials credentials, ChannelCredentials.Loaded keys, Crypto crypto) {
        this.keys = keys;
        this.unionpayMerId = credentials.unionpayMerId;
        this.crypto = crypto;
    }

    Verdict verify(Envelope e) {
        if (!keys.unionpayAllow.allows(e.sourceAddress)) {
            return Verdict.forged(
                    "source address " + e.sourceAddress + " is not allowed for UNIONPAY",
                    ChannelVerifiers.formClaim(e, "orderId"),
                    e.notifyId);
        }
        Map<String, String> p = Forms.parse(e.body);
        String paymentId = Forms.required(p, "orderId");
        String signature = Forms.required(p, "signature");
        String method = Forms.required(p, "signMethod");
        Verdict refused = signature(p, Forms.sortedContent(p, "signature"), signature, method, e);
        if (refused != null) {
            return refused;
        }
        if (unionpayMerId != null && !unionpayMerId.equals(p.get("merId"))) {
            return Verdict.forged(
                    "merId " + p.get("merId") + " is not ours", ChannelVerifiers.claimed(paymentId), e.notifyId);
        }
        return Verdict.accepted(notification(p, paymentId, e));
    }

    /** Null when the signature verifies (RSA by certId, or HMAC where configured), else the refusal. */
    private Verdict signature(Map<String, String> p, String content, String signature, String method, Envelope e) {
        String paymentId = p.get("orderId");
        if ("01".equals(method)) {
            String certId = Forms.required(p, "certId");
            PublicKey key = keys.unionpayKeys.get(certId);
            if (key == null) {
                return Verdict.forged(
                        "unknown UnionPay certId " + certId, ChannelVerifiers.claimed(paymentId), e.notifyId);
            }
            if (!crypto.verifyRsa(key, crypto.sha256Hex(content), signature)) {
                return Verdict.forged(
                        "UnionPay RSA signature does not verify (certId " + certId + ")",
                        ChannelVerifiers.claimed(paymentId),
                        e.notifyId);
            }
            return null;
        }
        if ("HMAC".equals(method)) {
            if (keys.unionpayHmacSecret == null) {
                return Verdict.forged(
                        "UnionPay HMAC signing is not configured for this merchant",
                        ChannelVerifiers.claimed(paymentId),
                        e.notifyId);
            }
            if (!crypto.verifyHmac(keys.unionpayHmacSecret, content.getBytes(StandardCharsets.UTF_8), signature)) {
                return Verdict.forged("UnionPay HMAC does not verify", ChannelVerifiers.claimed(paymentId), e.notifyId);
            }
            return null;
        }
        return Verdict.forged(
                "unsupported UnionPay signMethod '" + method + "'", ChannelVerifiers.claimed(paymentId), e.notifyId);
    }

    /** The notification a verified UnionPay form tells. */
    private static PaymentNotification notification(Map<String, String> p, String paymentId, Envelope e) {
        PaymentNotification n = new PaymentNotification();
        n.paymentId = paymentId;
        n.channel = PaymentChannel.UNIONPAY;
        n.channelTxnId = p.get("queryId");
        try {
            n.amountCents = Long.parseLong(Forms.required(p, "txnAmt"));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("txnAmt '" + p.get("txnAmt") + "' is not an amount in fen");
        }
        n.status = "00".equals(Forms.required(p, "respCode")) ? PaymentStatus.SUCCESS : PaymentStatus.FAILED;
        String txnTime = p.get("txnTime");
        n.paidAt = n.status == PaymentStatus.SUCCESS && txnTime != null && !txnTime.isEmpty()
                ? Forms.unionpayTime(txnTime)
                : 0;
        n.source = PaymentNotification.CALLBACK;
        n.notifyId = e.notifyId;
        n.receivedAt = e.receivedAt;
        return n;
    }
}
