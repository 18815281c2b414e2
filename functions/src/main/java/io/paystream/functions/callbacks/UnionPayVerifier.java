package io.paystream.functions.callbacks;

import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Map;

/**
 * UnionPay notifications: allowlist, RSA signature by certId (or HMAC where configured) over the
 * sorted form, our merId. A refund ({@code txnType=04}, {@link UnionPayRefunds}) passes the same
 * checks and becomes a refund notification.
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
            return formClaim(e)
                    .forged("source address " + e.sourceAddress + " is not allowed for UNIONPAY", e.notifyId);
        }
        Map<String, String> p = Forms.parse(e.body);
        String paymentId = Forms.required(p, "orderId");
        String signature = Forms.required(p, "signature");
        String method = Forms.required(p, "signMethod");
        Claim claim = claimOf(p, paymentId);
        Verdict refused = signature(p, Forms.sortedContent(p, "signature"), signature, method, claim, e);
        if (refused != null) {
            return refused;
        }
        if (unionpayMerId != null && !unionpayMerId.equals(p.get("merId"))) {
            return claim.forged("merId " + p.get("merId") + " is not ours", e.notifyId);
        }
        if (UnionPayRefunds.isRefund(p)) {
            return Verdict.acceptedRefund(UnionPayRefunds.notification(p, e));
        }
        return Verdict.accepted(notification(p, paymentId, e));
    }

    /** Null when the signature verifies (RSA by certId, or HMAC where configured), else the refusal. */
    private Verdict signature(
            Map<String, String> p, String content, String signature, String method, Claim claim, Envelope e) {
        if ("01".equals(method)) {
            String certId = Forms.required(p, "certId");
            PublicKey key = keys.unionpayKeys.get(certId);
            if (key == null) {
                return claim.forged("unknown UnionPay certId " + certId, e.notifyId);
            }
            if (!crypto.verifyRsa(key, crypto.sha256Hex(content), signature)) {
                return claim.forged("UnionPay RSA signature does not verify (certId " + certId + ")", e.notifyId);
            }
            return null;
        }
        if ("HMAC".equals(method)) {
            if (keys.unionpayHmacSecret == null) {
                return claim.forged("UnionPay HMAC signing is not configured for this merchant", e.notifyId);
            }
            if (!crypto.verifyHmac(keys.unionpayHmacSecret, content.getBytes(StandardCharsets.UTF_8), signature)) {
                return claim.forged("UnionPay HMAC does not verify", e.notifyId);
            }
            return null;
        }
        return claim.forged("unsupported UnionPay signMethod '" + method + "'", e.notifyId);
    }

    /**
     * What the form claims: its orderId is the payment's, except in a refund ({@code txnType=04}),
     * where it is the refund's own order number and the payment is named only by origQryId.
     */
    private static Claim claimOf(Map<String, String> p, String orderId) {
        return UnionPayRefunds.isRefund(p)
                ? new Claim(null, ChannelVerifiers.claimed(orderId))
                : Claim.payment(ChannelVerifiers.claimed(orderId));
    }

    /** The claim of a notification rejected before parsing: one scan per parameter. */
    private static Claim formClaim(Envelope e) {
        String orderId = ChannelVerifiers.formClaim(e, "orderId");
        return UnionPayRefunds.REFUND_TXN_TYPE.equals(ChannelVerifiers.formClaim(e, "txnType"))
                ? new Claim(null, orderId)
                : Claim.payment(orderId);
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
