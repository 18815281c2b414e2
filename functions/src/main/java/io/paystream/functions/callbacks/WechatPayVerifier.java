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
            return Verdict.forged(
                    "source address " + e.sourceAddress + " is not allowed for WECHAT", claim(e), e.notifyId);
        }
        String timestamp = requiredHeader(e, "Wechatpay-Timestamp");
        String nonce = requiredHeader(e, "Wechatpay-Nonce");
        String signature = requiredHeader(e, "Wechatpay-Signature");
        String serial = requiredHeader(e, "Wechatpay-Serial");
        PublicKey key = keys.wechatKeys.get(serial);
        if (key == null) {
            return Verdict.forged("unknown WeChat Pay platform key serial " + serial, claim(e), e.notifyId);
        }
        if (!crypto.verifyRsa(key, timestamp + "\n" + nonce + "\n" + e.body + "\n", signature)) {
            return Verdict.forged("WeChat Pay signature does not verify (serial " + serial + ")", claim(e), e.notifyId);
        }
        long stampedMs = stampMs(timestamp);
        if (Math.abs(e.receivedAt - stampedMs) > replayWindowMs) {
            // Genuinely signed, so the payment it names is the channel's word: a replayed capture.
            return Verdict.stale(
                    "WeChat Pay timestamp " + timestamp + " is " + Math.abs(e.receivedAt - stampedMs) / 1000
                            + " s from its receipt",
                    claim(e),
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
        if (wechatMchId != null && !wechatMchId.equals(t.path("mchid").asText())) {
            return Verdict.forged(
                    "mchid " + t.path("mchid").asText() + " is not ours",
                    ChannelVerifiers.claimed(paymentId),
                    e.notifyId);
        }
        return Verdict.accepted(notification(paymentId, t, body.path("id").asText(e.notifyId), e.receivedAt));
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
     * The {@code out_trade_no} a rejected WeChat Pay notification names, if its resource decrypts
     * under our APIv3 key (so it was not made up by whoever sent it, though it may be replayed);
     * null otherwise. For the alert only: never throws, never changes the verdict.
     */
    private String claim(Envelope e) {
        if (e.body.length() > ChannelVerifiers.MAX_CLAIM_BODY) {
            return null;
        }
        try {
            String plain = decryptResource(json.readTree(e.body));
            return plain == null
                    ? null
                    : ChannelVerifiers.claimed(
                            json.readTree(plain).path("out_trade_no").asText(null));
        } catch (Exception ex) {
            return null;
        }
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
