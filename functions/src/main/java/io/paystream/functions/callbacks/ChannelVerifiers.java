package io.paystream.functions.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.state.contract.Money;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Verifies channel notifications and query answers in their real formats, with JDK crypto only.
 * Each check that fails names itself in the verdict: an address outside the allowlist, an unknown
 * key, a bad signature or HMAC, an undecryptable resource or a foreign merchant id is
 * FORGED_CALLBACK; a timestamp outside the replay window is STALE_CALLBACK; a record that cannot
 * be read at all is malformed. Not thread-safe: one instance per operator subtask.
 *
 * <p>A forged verdict names the payment the record claims, read without trusting it, so the alert
 * says which payment is under attack: Alipay's and UnionPay's plain form parameters, WeChat Pay's
 * {@code resource} if it decrypts under our APIv3 key (AES-GCM authenticates it), a query answer's
 * payload. The claim is read only once the verdict is decided and never changes it; an allowlist
 * rejection still decides before any crypto and then reads the claim too, bounded: bodies over
 * {@link #MAX_CLAIM_BODY} and ids over {@link #MAX_CLAIMED_ID} are not read (docs/contract.md).
 */
public final class ChannelVerifiers {
    /** Bodies longer than this (a genuine notification is about 1 KB) are not read for a claim. */
    static final int MAX_CLAIM_BODY = 16 * 1024;
    /** A claimed id longer than this ({@code payments.payment_id} is VARCHAR(64)) names no payment of ours. */
    static final int MAX_CLAIMED_ID = 64;

    private final ChannelCredentials.Loaded keys;
    private final long replayWindowMs;
    private final String wechatMchId;
    private final String alipayAppId;
    private final String unionpayMerId;
    private final ObjectMapper json = new ObjectMapper();
    private final Crypto crypto = new Crypto();

    public ChannelVerifiers(ChannelCredentials credentials) {
        this.keys = credentials.load();
        this.replayWindowMs = credentials.replayWindowMs;
        this.wechatMchId = credentials.wechatMchId;
        this.alipayAppId = credentials.alipayAppId;
        this.unionpayMerId = credentials.unionpayMerId;
    }

    /** A {@code payment.callbacks} record: the gateway's envelope around a channel notification. */
    public Verdict verifyCallback(byte[] value) {
        Envelope e;
        try {
            e = Envelope.parse(json, value);
        } catch (Exception ex) {
            return Verdict.malformed("unreadable callback envelope: " + ex.getMessage());
        }
        try {
            switch (e.channel) {
                case "WECHAT":
                    return wechat(e);
                case "ALIPAY":
                    return alipay(e);
                case "UNIONPAY":
                    return unionpay(e);
                default:
                    return Verdict.malformed("unknown channel '" + e.channel + "'");
            }
        } catch (IllegalArgumentException | java.time.DateTimeException | java.io.IOException ex) {
            return Verdict.malformed(e.channel + " notification unreadable: " + ex.getMessage());
        }
    }

    // --- WeChat Pay API v3 ---------------------------------------------------------------------

    Verdict wechat(Envelope e) throws java.io.IOException {
        if (!keys.wechatAllow.allows(e.sourceAddress)) {
            return Verdict.forged(
                    "source address " + e.sourceAddress + " is not allowed for WECHAT", wechatClaim(e), e.notifyId);
        }
        String timestamp = requiredHeader(e, "Wechatpay-Timestamp");
        String nonce = requiredHeader(e, "Wechatpay-Nonce");
        String signature = requiredHeader(e, "Wechatpay-Signature");
        String serial = requiredHeader(e, "Wechatpay-Serial");
        PublicKey key = keys.wechatKeys.get(serial);
        if (key == null) {
            return Verdict.forged("unknown WeChat Pay platform key serial " + serial, wechatClaim(e), e.notifyId);
        }
        if (!crypto.verifyRsa(key, timestamp + "\n" + nonce + "\n" + e.body + "\n", signature)) {
            return Verdict.forged(
                    "WeChat Pay signature does not verify (serial " + serial + ")", wechatClaim(e), e.notifyId);
        }
        long stampedMs = wechatStampMs(timestamp);
        if (Math.abs(e.receivedAt - stampedMs) > replayWindowMs) {
            // Genuinely signed, so the payment it names is the channel's word: a replayed capture.
            return Verdict.stale(
                    "WeChat Pay timestamp " + timestamp + " is " + Math.abs(e.receivedAt - stampedMs) / 1000
                            + " s from its receipt",
                    wechatClaim(e),
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
            return Verdict.forged("mchid " + t.path("mchid").asText() + " is not ours", claimed(paymentId), e.notifyId);
        }
        return Verdict.accepted(wechatNotification(paymentId, t, body.path("id").asText(e.notifyId), e.receivedAt));
    }

    private static long wechatStampMs(String timestamp) {
        try {
            return Long.parseLong(timestamp) * 1000;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Wechatpay-Timestamp '" + timestamp + "' is not a number");
        }
    }

    /** The notification a verified, decrypted WeChat Pay transaction tells. */
    private static PaymentNotification wechatNotification(
            String paymentId, JsonNode t, String notifyId, long receivedAt) {
        PaymentNotification n = new PaymentNotification();
        n.paymentId = paymentId;
        n.channel = PaymentChannel.WECHAT;
        n.channelTxnId = t.path("transaction_id").asText(null);
        JsonNode total = t.path("amount").path("total");
        if (!total.canConvertToLong()) {
            throw new IllegalArgumentException("transaction has no amount.total");
        }
        n.amountCents = total.asLong();
        n.status = wechatStatus(t.path("trade_state").asText());
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
    private String wechatClaim(Envelope e) {
        if (e.body.length() > MAX_CLAIM_BODY) {
            return null;
        }
        try {
            String plain = decryptResource(json.readTree(e.body));
            return plain == null
                    ? null
                    : claimed(json.readTree(plain).path("out_trade_no").asText(null));
        } catch (Exception ex) {
            return null;
        }
    }

    /**
     * A plain form parameter of a rejected notification, read for the alert only: one scan for that
     * parameter, not a parse of them all (an allowlist rejection stays cheap); never throws.
     */
    private static String formClaim(Envelope e, String name) {
        if (e.body.length() > MAX_CLAIM_BODY) {
            return null;
        }
        return claimed(Forms.single(e.body, name));
    }

    /** A claimed payment id as the alert names it: null when empty or longer than any of ours. */
    static String claimed(String id) {
        return id == null || id.isEmpty() || id.length() > MAX_CLAIMED_ID ? null : id;
    }

    static PaymentStatus wechatStatus(String tradeState) {
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

    // --- Alipay ---------------------------------------------------------------------------------

    Verdict alipay(Envelope e) {
        if (!keys.alipayAllow.allows(e.sourceAddress)) {
            return Verdict.forged(
                    "source address " + e.sourceAddress + " is not allowed for ALIPAY",
                    formClaim(e, "out_trade_no"),
                    e.notifyId);
        }
        if (keys.alipayKey == null) {
            return Verdict.forged("ALIPAY is not configured here", formClaim(e, "out_trade_no"), e.notifyId);
        }
        Map<String, String> p = Forms.parse(e.body);
        String sign = Forms.required(p, "sign");
        String paymentId = Forms.required(p, "out_trade_no");
        if (!"RSA2".equals(p.get("sign_type"))) {
            return Verdict.forged("sign_type '" + p.get("sign_type") + "' is not RSA2", claimed(paymentId), e.notifyId);
        }
        if (!crypto.verifyRsa(keys.alipayKey, Forms.sortedContent(p, "sign", "sign_type"), sign)) {
            return Verdict.forged("Alipay RSA2 signature does not verify", claimed(paymentId), e.notifyId);
        }
        if (alipayAppId != null && !alipayAppId.equals(p.get("app_id"))) {
            return Verdict.forged("app_id " + p.get("app_id") + " is not ours", claimed(paymentId), e.notifyId);
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
        n.status = alipayStatus(Forms.required(p, "trade_status"));
        String gmtPayment = p.get("gmt_payment");
        n.paidAt = gmtPayment == null || gmtPayment.isEmpty() ? 0 : Forms.alipayTime(gmtPayment);
        n.source = PaymentNotification.CALLBACK;
        n.notifyId = p.getOrDefault("notify_id", e.notifyId);
        n.receivedAt = e.receivedAt;
        return Verdict.accepted(n);
    }

    static PaymentStatus alipayStatus(String tradeStatus) {
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

    // --- UnionPay ---------------------------------------------------------------------------------

    Verdict unionpay(Envelope e) {
        if (!keys.unionpayAllow.allows(e.sourceAddress)) {
            return Verdict.forged(
                    "source address " + e.sourceAddress + " is not allowed for UNIONPAY",
                    formClaim(e, "orderId"),
                    e.notifyId);
        }
        Map<String, String> p = Forms.parse(e.body);
        String paymentId = Forms.required(p, "orderId");
        String signature = Forms.required(p, "signature");
        String method = Forms.required(p, "signMethod");
        Verdict refused = unionpaySignature(p, Forms.sortedContent(p, "signature"), signature, method, e);
        if (refused != null) {
            return refused;
        }
        if (unionpayMerId != null && !unionpayMerId.equals(p.get("merId"))) {
            return Verdict.forged("merId " + p.get("merId") + " is not ours", claimed(paymentId), e.notifyId);
        }
        return Verdict.accepted(unionpayNotification(p, paymentId, e));
    }

    /** Null when the signature verifies (RSA by certId, or HMAC where configured), else the refusal. */
    private Verdict unionpaySignature(
            Map<String, String> p, String content, String signature, String method, Envelope e) {
        String paymentId = p.get("orderId");
        if ("01".equals(method)) {
            String certId = Forms.required(p, "certId");
            PublicKey key = keys.unionpayKeys.get(certId);
            if (key == null) {
                return Verdict.forged("unknown UnionPay certId " + certId, claimed(paymentId), e.notifyId);
            }
            if (!crypto.verifyRsa(key, crypto.sha256Hex(content), signature)) {
                return Verdict.forged(
                        "UnionPay RSA signature does not verify (certId " + certId + ")",
                        claimed(paymentId),
                        e.notifyId);
            }
            return null;
        }
        if ("HMAC".equals(method)) {
            if (keys.unionpayHmacSecret == null) {
                return Verdict.forged(
                        "UnionPay HMAC signing is not configured for this merchant", claimed(paymentId), e.notifyId);
            }
            if (!crypto.verifyHmac(keys.unionpayHmacSecret, content.getBytes(StandardCharsets.UTF_8), signature)) {
                return Verdict.forged("UnionPay HMAC does not verify", claimed(paymentId), e.notifyId);
            }
            return null;
        }
        return Verdict.forged("unsupported UnionPay signMethod '" + method + "'", claimed(paymentId), e.notifyId);
    }

    /** The notification a verified UnionPay form tells. */
    private static PaymentNotification unionpayNotification(Map<String, String> p, String paymentId, Envelope e) {
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

    // --- query answers ----------------------------------------------------------------------------

    /** A {@code payment.query-results} record; {@code receivedAtMs} is the Kafka record's timestamp. */
    public Verdict verifyQueryAnswer(byte[] value, long receivedAtMs) {
        try {
            JsonNode env = json.readTree(value);
            if (env == null || !env.isObject() || !env.path("payload").isTextual()) {
                return Verdict.malformed("query answer is not a {keyId, signature, payload} envelope");
            }
            String keyId = env.path("keyId").asText("");
            byte[] secret = keys.queryKeys.get(keyId);
            String payload = env.get("payload").asText();
            if (secret == null) {
                return forgedAnswer("query answer signed with unknown key id '" + keyId + "'", payload);
            }
            if (!crypto.verifyHmac(
                    secret,
                    payload.getBytes(StandardCharsets.UTF_8),
                    env.path("signature").asText(""))) {
                return forgedAnswer("query answer HMAC does not verify (key " + keyId + ")", payload);
            }
            JsonNode p = json.readTree(payload);
            String paymentId = p.path("paymentId").asText("");
            if (paymentId.isEmpty()) {
                return Verdict.malformed("query answer has no paymentId");
            }
            long queriedAt = p.path("queriedAt").asLong(0);
            if (Math.abs(receivedAtMs - queriedAt) > replayWindowMs) {
                return Verdict.stale(
                        "query answer from " + queriedAt + " is " + Math.abs(receivedAtMs - queriedAt) / 1000
                                + " s from its receipt",
                        paymentId,
                        p.path("commandId").asText(null));
            }
            PaymentNotification n = new PaymentNotification();
            n.paymentId = paymentId;
            n.channel = PaymentChannel.valueOf(p.path("channel").asText());
            n.channelTxnId = p.path("channelTxnId").asText(null);
            n.amountCents = p.hasNonNull("amount") ? Money.cents(p.get("amount").asText()) : 0;
            n.status = queryStatus(p.path("status").asText());
            n.paidAt = p.path("paidAt").asLong(0);
            n.source = PaymentNotification.QUERY;
            n.notifyId = p.path("commandId").asText(null);
            n.receivedAt = queriedAt;
            return Verdict.accepted(n);
        } catch (Exception ex) {
            return Verdict.malformed("unreadable query answer: " + ex.getMessage());
        }
    }

    /** A forged query answer, naming the payment and command its payload claims if it can be read. */
    private Verdict forgedAnswer(String reason, String payload) {
        String paymentId = null;
        String commandId = null;
        if (payload.length() <= MAX_CLAIM_BODY) {
            try {
                JsonNode p = json.readTree(payload);
                if (p != null && p.isObject()) {
                    paymentId = claimed(p.path("paymentId").asText(null));
                    commandId =
                            p.path("commandId").isTextual() ? p.get("commandId").asText() : null;
                }
            } catch (Exception ex) {
                // unreadable: the alert names no payment
            }
        }
        return Verdict.forged(reason, paymentId, commandId);
    }

    static PaymentStatus queryStatus(String status) {
        switch (status) {
            case "SUCCESS":
                return PaymentStatus.SUCCESS;
            case "FAILED":
                return PaymentStatus.FAILED;
            case "CLOSED":
                return PaymentStatus.CLOSED;
            case "NOTPAY":
            case "USERPAYING":
                return null;
            default:
                throw new IllegalArgumentException("unknown query status '" + status + "'");
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
