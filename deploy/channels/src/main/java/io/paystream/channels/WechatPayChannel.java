package io.paystream.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat Pay API v3 payment notifications: a JSON body whose {@code resource} is the transaction
 * encrypted with AEAD_AES_256_GCM under the merchant's APIv3 key, and headers carrying a
 * SHA256-with-RSA signature of {@code timestamp\nnonce\nbody\n} by the platform key named by
 * {@code Wechatpay-Serial}. WeChat notifies successes only; other outcomes are learned by query.
 * Refund notifications are the same signed event around an encrypted refund.
 */
public final class WechatPayChannel {
    static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair platformKey;
    private final String serial;
    private final byte[] apiV3Key;
    private final String mchId;
    private final String appId;
    private final KeyPair foreignKey;
    private final SecureRandom random;

    WechatPayChannel(SecureRandom random, String mchId, String appId) {
        this.random = random;
        this.platformKey = Signatures.rsa2048(random);
        this.foreignKey = Signatures.rsa2048(random);
        this.serial = java.util.HexFormat.of().withUpperCase().formatHex(randomBytes(random, 20));
        this.apiV3Key = Signatures.randomAlnum(random, 32).getBytes(StandardCharsets.US_ASCII);
        this.mchId = mchId;
        this.appId = appId;
    }

    public KeyPair platformKey() {
        return platformKey;
    }

    public String serial() {
        return serial;
    }

    /** The merchant's APIv3 key: 32 ASCII characters (a secret). */
    public String apiV3Key() {
        return new String(apiV3Key, StandardCharsets.US_ASCII);
    }

    public String mchId() {
        return mchId;
    }

    public String appId() {
        return appId;
    }

    /** A TRANSACTION.SUCCESS notification of {@code facts}, sent at {@code now}. */
    public CallbackEnvelope notification(PaymentFacts facts, Instant now, String sourceAddress, Forgery forgery) {
        return event("TRANSACTION.SUCCESS", "支付成功", "transaction", transactionJson(facts), now, sourceAddress, forgery);
    }

    /**
     * A refund notification of {@code facts} ({@code REFUND.SUCCESS}, {@code REFUND.ABNORMAL} or
     * {@code REFUND.CLOSED} after its status), as posted to the refund notify_url: the same signed,
     * encrypted event as a payment's, {@code original_type} {@code refund}
     * (https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_11.shtml).
     */
    public CallbackEnvelope refundNotification(RefundFacts facts, Instant now, String sourceAddress, Forgery forgery) {
        String summary = switch (facts.status()) {
            case "SUCCESS" -> "退款成功";
            case "ABNORMAL" -> "退款异常";
            case "CLOSED" -> "退款关闭";
            default -> throw new IllegalArgumentException("WeChat Pay does not notify refund " + facts.status());
        };
        return event("REFUND." + facts.status(), summary, "refund", refundJson(facts), now, sourceAddress, forgery);
    }

    /** A signed v3 event whose resource is {@code plaintext} encrypted under the APIv3 key. */
    private CallbackEnvelope event(
            String eventType,
            String summary,
            String originalType,
            String plaintext,
            Instant now,
            String sourceAddress,
            Forgery forgery) {
        String eventId = "EV-" + Signatures.randomAlnum(random, 24);
        String resourceNonce = Signatures.randomAlnum(random, 12);
        ObjectNode body = JSON.createObjectNode();
        body.put("id", eventId);
        body.put("create_time", RFC3339.format(OffsetDateTime.ofInstant(now, BEIJING)));
        body.put("resource_type", "encrypt-resource");
        body.put("event_type", eventType);
        body.put("summary", summary);
        ObjectNode resource = body.putObject("resource");
        resource.put("original_type", originalType);
        resource.put("algorithm", "AEAD_AES_256_GCM");
        resource.put("ciphertext", encrypt(plaintext, resourceNonce, originalType));
        resource.put("associated_data", originalType);
        resource.put("nonce", resourceNonce);
        String bodyText = write(body);

        Instant stamped = forgery == Forgery.STALE ? now.minus(Duration.ofMinutes(30)) : now;
        String timestamp = String.valueOf(stamped.getEpochSecond());
        String nonce = Signatures.randomAlnum(random, 32);
        String message = timestamp + "\n" + nonce + "\n" + bodyText + "\n";
        String signature = Signatures.sha256WithRsa(
                forgery == Forgery.BAD_SIGNATURE ? foreignKey.getPrivate() : platformKey.getPrivate(), message);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Wechatpay-Timestamp", timestamp);
        headers.put("Wechatpay-Nonce", nonce);
        headers.put("Wechatpay-Signature", signature);
        headers.put("Wechatpay-Serial", forgery == Forgery.UNKNOWN_KEY ? "0000" + serial.substring(4) : serial);
        headers.put("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        if (forgery == Forgery.TAMPERED_BODY) {
            bodyText = bodyText.replace("\"summary\":\"" + summary + "\"", "\"summary\":\"" + summary + " \"");
        }
        return new CallbackEnvelope("WECHAT", eventId, sourceAddress, now.toEpochMilli(), headers, bodyText);
    }

    /**
     * The same notification (same body, same event id) sent again at {@code now}, as WeChat Pay
     * resends one that was not answered success: freshly stamped, with a new nonce and signature
     * (the receiver's replay window applies to each attempt).
     */
    public CallbackEnvelope resigned(CallbackEnvelope n, Instant now) {
        String timestamp = String.valueOf(now.getEpochSecond());
        String nonce = Signatures.randomAlnum(random, 32);
        Map<String, String> headers = new LinkedHashMap<>(n.headers);
        headers.put("Wechatpay-Timestamp", timestamp);
        headers.put("Wechatpay-Nonce", nonce);
        headers.put(
                "Wechatpay-Signature",
                Signatures.sha256WithRsa(platformKey.getPrivate(), timestamp + "\n" + nonce + "\n" + n.body + "\n"));
        return new CallbackEnvelope(n.channel, n.notifyId, n.sourceAddress, now.toEpochMilli(), headers, n.body);
    }

    private String transactionJson(PaymentFacts f) {
        ObjectNode t = JSON.createObjectNode();
        t.put("appid", appId);
        t.put("mchid", mchId);
        t.put("out_trade_no", f.paymentId());
        t.put("transaction_id", f.channelTxnId());
        t.put("trade_type", "NATIVE");
        t.put("trade_state", "SUCCESS");
        t.put("trade_state_desc", "支付成功");
        t.put("bank_type", "OTHERS");
        t.put("attach", "");
        t.put("success_time", RFC3339.format(OffsetDateTime.ofInstant(f.paidAt(), BEIJING)));
        t.putObject("payer").put("openid", "o" + f.paymentId().hashCode());
        ObjectNode amount = t.putObject("amount");
        amount.put("total", f.amountCents());
        amount.put("payer_total", f.amountCents());
        amount.put("currency", "CNY");
        amount.put("payer_currency", "CNY");
        return write(t);
    }

    /** The refund as WeChat Pay's refund notification resource carries it (amounts in fen). */
    private String refundJson(RefundFacts f) {
        ObjectNode r = JSON.createObjectNode();
        r.put("mchid", mchId);
        r.put("out_trade_no", f.paymentId());
        r.put("transaction_id", f.paymentTxnId());
        r.put("out_refund_no", f.refundId());
        r.put("refund_id", f.channelRefundId());
        r.put("refund_status", f.status());
        if (f.refundedAt() != null) {
            r.put("success_time", RFC3339.format(OffsetDateTime.ofInstant(f.refundedAt(), BEIJING)));
        }
        r.put("user_received_account", "支付用户零钱");
        ObjectNode amount = r.putObject("amount");
        amount.put("total", f.totalCents());
        amount.put("refund", f.amountCents());
        amount.put("payer_total", f.totalCents());
        amount.put("payer_refund", f.amountCents());
        return write(r);
    }

    private String encrypt(String plaintext, String nonce, String associatedData) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(apiV3Key, "AES"),
                    new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(SecureRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
