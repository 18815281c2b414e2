package io.paystream.functions.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.io.IOException;
import java.security.PublicKey;
import java.time.OffsetDateTime;

/**
 * WeChat Pay API v3 notifications: allowlist, platform key by serial, RSA signature over the
 * timestamp, nonce and body, replay window, the AES-GCM resource under our APIv3 key, our mchid.
 * Payment and refund notifications share all of these checks; which one it is comes from the
 * signed body's {@code event_type} ({@link WechatRefunds}).
 */
final class WechatPayVerifier {
    private final ChannelCredentials.Loaded keys;
    private final long replayWindowMs;
    private final String wechatMchId;
    private final ObjectMapper json;
    private final Crypto crypto;

    WechatPayVerifier(
            ChannelCredentials credentials, ChannelCredentials.Loaded keys, ObjectMapper json, Crypto crypto) {
        this.keys = keys;
        this.replayWindowMs = credentials.replayWindowMs;
        this.wechatMchId = credentials.wechatMchId;
        this.json = json;
        this.crypto = crypto;
    }

    Verdict verify(Envelope e) throws IOException {
        if (!keys.wechatAllow.allows(e.sourceAddress)) {
            return claim(e).forged("source address " + e.sourceAddress + " is not allowed for WECHAT", e.notifyId);
        }
        String timestamp = requiredHeader(e, "Wechatpay-Timestamp");
        String nonce = requiredHeader(e, "Wechatpay-Nonce");
        String signature = requiredHeader(e, "Wechatpay-Signature");
        String serial = requiredHeader(e, "Wechatpay-Serial");
        PublicKey key = keys.wechatKeys.get(serial);
        if (key == null) {
            return claim(e).forged("unknown WeChat Pay platform key serial " + serial, e.notifyId);
        }
        if (!crypto.verifyRsa(key, timestamp + "\n" + nonce + "\n" + e.body + "\n", signature)) {
            return claim(e).forged("WeChat Pay signature does not verify (serial " + serial + ")", e.notifyId);
        }
        long stampedMs = stampMs(timestamp);
        if (Math.abs(e.receivedAt - stampedMs) > replayWindowMs) {
            // Genuinely signed, so the payment (and refund) it names is the channel's word: a replayed capture.
            return claim(e).stale(
                            "WeChat Pay timestamp " + timestamp + " is " + Math.abs(e.receivedAt - stampedMs) / 1000
                                    + " s from its receipt",
                            e.notifyId);
        }
        JsonNode body = json.readTree(e.body);
        String plain = decryptResource(body);
        if (plain == null) {
            return Verdict.forged("WeChat Pay resource does not decrypt with the APIv3 key", null, e.notifyId);
        }
        JsonNode t = json.readTree(plain);
        String paymentId = t.path("out_trade_no").asText("");
        if (paymentId.isEmpty()) {
            throw new IllegalArgumentException("transaction has no out_trade_no");
        }
        // Refund or payment is read from the signed body, not from the endpoint it was posted to
        // (the envelope does not carry it): a refund event must carry a refund resource.
        boolean refund = WechatRefunds.isRefund(body);
        if (refund
                && !"refund".equals(body.path("resource").path("original_type").asText("refund"))) {
            throw new IllegalArgumentException("refund event with resource original_type '"
                    + body.path("resource").path("original_type").asText() + "'");
        }
        if (wechatMchId != null && !wechatMchId.equals(t.path("mchid").asText())) {
            return claimOf(t, refund).forged("mchid " + t.path("mchid").asText() + " is not ours", e.notifyId);
        }
        String notifyId = body.path("id").asText(e.notifyId);
        if (refund) {
            return Verdict.acceptedRefund(WechatRefunds.notification(t, notifyId, e.receivedAt));
        }
        return Verdict.accepted(notification(paymentId, t, notifyId, e.receivedAt));
    }

    private static long stampMs(String timestamp) {
        try {
            return Long.parseLong(timestamp) * 1000;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Wechatpay-Timestamp '" + timestamp + "' is not a number");
        }
    }

    /** The notification a verified, decrypted WeChat Pay transaction tells. */
    private static PaymentNotification notification(String paymentId, JsonNode t, String notifyId, long receivedAt) {
        PaymentNotification n = new PaymentNotification();
        n.paymentId = paymentId;
        n.channel = PaymentChannel.WECHAT;
        n.channelTxnId = t.path("transaction_id").asText(null);
        JsonNode total = t.path("amount").path("total");
        if (!total.canConvertToLong()) {
            throw new IllegalArgumentException("transaction has no amount.total");
        }
        n.amountCents = total.asLong();
        n.status = status(t.path("trade_state").asText());
        String successTime = t.path("success_time").asText("");
        n.paidAt = successTime.isEmpty()
                ? 0
                : OffsetDateTime.parse(successTime).toInstant().toEpochMilli();
        n.source = PaymentNotification.CALLBACK;
        n.notifyId = notifyId;
        n.receivedAt = receivedAt;
        return n;
    }

    /** The transaction of a WeChat Pay body; null when it does not decrypt under the APIv3 key. */
    private String decryptResource(JsonNode body) {
        JsonNode resource = body == null ? null : body.get("resource");
        if (resource == null || !resource.isObject()) {
            throw new IllegalArgumentException("body has no resource");
        }
        if (!"AEAD_AES_256_GCM".equals(resource.path("algorithm").asText())) {
            throw new IllegalArgumentException("unsupported resource algorithm '"
                    + resource.path("algorithm").asText() + "'");
        }
        return crypto.decryptGcm(
                keys.wechatApiV3Key,
                resource.path("nonce").asText(),
                resource.path("associated_data").asText(null),
                resource.path("ciphertext").asText());
    }

    /**
     * The {@code out_trade_no} (and, of a refund, {@code out_refund_no}) a rejected WeChat Pay
     * notification names, if its resource decrypts under our APIv3 key (so it was not made up by
     * whoever sent it, though it may be replayed); none otherwise. For the alert only: never throws,
     * never changes the verdict.
     */
    private Claim claim(Envelope e) {
        if (e.body.length() > ChannelVerifiers.MAX_CLAIM_BODY) {
            return Claim.NONE;
        }
        try {
            String plain = decryptResource(json.readTree(e.body));
            return plain == null ? Claim.NONE : claimOf(json.readTree(plain), false);
        } catch (Exception ex) {
            return Claim.NONE;
        }
    }

    /** The ids a decrypted resource names: a refund when its event says so or it names a refund. */
    private static Claim claimOf(JsonNode t, boolean refund) {
        String paymentId = ChannelVerifiers.claimed(t.path("out_trade_no").asText(null));
        String refundId = ChannelVerifiers.claimed(t.path("out_refund_no").asText(null));
        return refund || refundId != null ? new Claim(paymentId, refundId) : Claim.payment(paymentId);
    }

    static PaymentStatus status(String tradeState) {
        switch (tradeState) {
            case "SUCCESS":
                return PaymentStatus.SUCCESS;
            case "CLOSED":
            case "REVOKED":
                return PaymentStatus.CLOSED;
            case "PAYERROR":
                return PaymentStatus.FAILED;
            case "NOTPAY":
            case "USERPAYING":
            case "REFUND":
                return null; // not an outcome of this payment attempt
            default:
                throw new IllegalArgumentException("unknown trade_state '" + tradeState + "'");
        }
    }

    private static String requiredHeader(Envelope e, String name) {
        String v = e.header(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("header " + name + " is missing");
        }
        return v;
    }
}
