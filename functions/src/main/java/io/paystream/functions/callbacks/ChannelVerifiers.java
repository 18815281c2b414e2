package io.paystream.functions.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.state.payments.Alert;
import io.paystream.state.payments.Money;
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
 */
public final class ChannelVerifiers {
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
            return Verdict.rejected(
                    Alert.FORGED_CALLBACK, "source address " + e.sourceAddress + " is not allowed for WECHAT", null);
        }
        String timestamp = requiredHeader(e, "Wechatpay-Timestamp");
        String nonce = requiredHeader(e, "Wechatpay-Nonce");
        String signature = requiredHeader(e, "Wechatpay-Signature");
        String serial = requiredHeader(e, "Wechatpay-Serial");
        PublicKey key = keys.wechatKeys.get(serial);
        if (key == null) {
            return Verdict.rejected(Alert.FORGED_CALLBACK, "unknown WeChat Pay platform key serial " + serial, null);
        }
        if (!crypto.verifyRsa(key, timestamp + "\n" + nonce + "\n" + e.body + "\n", signature)) {
            return Verdict.rejected(
                    Alert.FORGED_CALLBACK, "WeChat Pay signature does not verify (serial " + serial + ")", null);
        }
        long stampedMs;
        try {
            stampedMs = Long.parseLong(timestamp) * 1000;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Wechatpay-Timestamp '" + timestamp + "' is not a number");
        }
        if (Math.abs(e.receivedAt - stampedMs) > replayWindowMs) {
            return Verdict.rejected(
                    Alert.STALE_CALLBACK,
                    "WeChat Pay timestamp " + timestamp + " is " + Math.abs(e.receivedAt - stampedMs) / 1000
                            + " s from its receipt",
                    null);
        }
        JsonNode body = json.readTree(e.body);
        JsonNode resource = body == null ? null : body.get("resource");
        if (resource == null || !resource.isObject()) {
            throw new IllegalArgumentException("body has no resource");
        }
        if (!"AEAD_AES_256_GCM".equals(resource.path("algorithm").asText())) {
            throw new IllegalArgumentException("unsupported resource algorithm '"
                    + resource.path("algorithm").asText() + "'");
        }
        String plain = crypto.decryptGcm(
                keys.wechatApiV3Key,
                resource.path("nonce").asText(),
                resource.path("associated_data").asText(null),
                resource.path("ciphertext").asText());
        if (plain == null) {
            return Verdict.rejected(
                    Alert.FORGED_CALLBACK, "WeChat Pay resource does not decrypt with the APIv3 key", null);
        }
        JsonNode t = json.readTree(plain);
        String paymentId = t.path("out_trade_no").asText("");
        if (paymentId.isEmpty()) {
            throw new IllegalArgumentException("transaction has no out_trade_no");
        }
        if (wechatMchId != null && !wechatMchId.equals(t.path("mchid").asText())) {
            return Verdict.rejected(
                    Alert.FORGED_CALLBACK, "mchid " + t.path("mchid").asText() + " is not ours", paymentId);
        }
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
        n.notifyId = body.path("id").asText(e.notifyId);
        n.receivedAt = e.receivedAt;
        return Verdict.accepted(n);
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
            return Verdict.rejected(
                    Alert.FORGED_CALLBACK, "source address " + e.sourceAddress + " is not allowed for ALIPAY", null);
        }
        if (keys.alipayKey == null) {
            return Verdict.rejected(Alert.FORGED_CALLBACK, "ALIPAY is not configured here", null);
        }
        Map<String, String> p = Forms.parse(e.body);
        String sign = Forms.required(p, "sign");
        String paymentId = Forms.required(p, "out_trade_no");
        if (!"RSA2".equals(p.get("sign_type"))) {
            return Verdict.rejected(
                    Alert.FORGED_CALLBACK, "sign_type '" + p.get("sign_type") + "' is not RSA2", paymentId);
        }
        if (!crypto.verifyRsa(keys.alipayKey, Forms.sortedContent(p, "sign", "sign_type"), sign)) {
            return Verdict.rejected(Alert.FORGED_CALLBACK, "Alipay RSA2 signature does not verify", paymentId);
        }
        if (alipayAppId != null && !alipayAppId.equals(p.get("app_id"))) {
            return Verdict.rejected(Alert.FORGED_CALLBACK, "app_id " + p.get("app_id") + " is not ours", paymentId);
        }
        long notifyTime = Forms.alipayTime(Forms.required(p, "notify_time"));
        if (Math.abs(e.receivedAt - notifyTime) > replayWindowMs) {
            return Verdict.rejected(
                    Alert.STALE_CALLBACK,
                    "Alipay notify_time " + p.get("notify_time") + " is " + Math.abs(e.receivedAt - notifyTime) / 1000
                            + " s from its receipt",
                    paymentId);
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
            return Verdict.rejected(
                    Alert.FORGED_CALLBACK, "source address " + e.sourceAddress + " is not allowed for UNIONPAY", null);
        }
        Map<String, String> p = Forms.parse(e.body);
        String paymentId = Forms.required(p, "orderId");
        String signature = Forms.required(p, "signature");
        String method = Forms.required(p, "signMethod");
        String content = Forms.sortedContent(p, "signature");
        if ("01".equals(method)) {
            String certId = Forms.required(p, "certId");
            PublicKey key = keys.unionpayKeys.get(certId);
            if (key == null) {
                return Verdict.rejected(Alert.FORGED_CALLBACK, "unknown UnionPay certId " + certId, paymentId);
            }
            if (!crypto.verifyRsa(key, crypto.sha256Hex(content), signature)) {
                return Verdict.rejected(
                        Alert.FORGED_CALLBACK,
                        "UnionPay RSA signature does not verify (certId " + certId + ")",
                        paymentId);
            }
        } else if ("HMAC".equals(method)) {
            if (keys.unionpayHmacSecret == null) {
                return Verdict.rejected(
                        Alert.FORGED_CALLBACK, "UnionPay HMAC signing is not configured for this merchant", paymentId);
            }
            if (!crypto.verifyHmac(keys.unionpayHmacSecret, content.getBytes(StandardCharsets.UTF_8), signature)) {
                return Verdict.rejected(Alert.FORGED_CALLBACK, "UnionPay HMAC does not verify", paymentId);
            }
        } else {
            return Verdict.rejected(
                    Alert.FORGED_CALLBACK, "unsupported UnionPay signMethod '" + method + "'", paymentId);
        }
        if (unionpayMerId != null && !unionpayMerId.equals(p.get("merId"))) {
            return Verdict.rejected(Alert.FORGED_CALLBACK, "merId " + p.get("merId") + " is not ours", paymentId);
        }
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
        return Verdict.accepted(n);
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
            if (secret == null) {
                return Verdict.rejected(
                        Alert.FORGED_CALLBACK, "query answer signed with unknown key id '" + keyId + "'", null);
            }
            String payload = env.get("payload").asText();
            if (!crypto.verifyHmac(
                    secret,
                    payload.getBytes(StandardCharsets.UTF_8),
                    env.path("signature").asText(""))) {
                return Verdict.rejected(
                        Alert.FORGED_CALLBACK, "query answer HMAC does not verify (key " + keyId + ")", null);
            }
            JsonNode p = json.readTree(payload);
            String paymentId = p.path("paymentId").asText("");
            if (paymentId.isEmpty()) {
                return Verdict.malformed("query answer has no paymentId");
            }
            long queriedAt = p.path("queriedAt").asLong(0);
            if (Math.abs(receivedAtMs - queriedAt) > replayWindowMs) {
                return Verdict.rejected(
                        Alert.STALE_CALLBACK,
                        "query answer from " + queriedAt + " is " + Math.abs(receivedAtMs - queriedAt) / 1000
                                + " s from its receipt",
                        paymentId);
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
