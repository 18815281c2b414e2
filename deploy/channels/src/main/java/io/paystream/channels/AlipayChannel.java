package io.paystream.channels;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Alipay asynchronous notifications: form parameters signed RSA2 (SHA256-with-RSA) over the sorted
 * {@code k=v} pairs without {@code sign} and {@code sign_type}, with Alipay's private key. Alipay
 * notifies TRADE_SUCCESS (and TRADE_FINISHED, TRADE_CLOSED).
 */
public final class AlipayChannel {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(WechatPayChannel.BEIJING);

    private final KeyPair alipayKey;
    private final KeyPair foreignKey;
    private final String appId;
    private final SecureRandom random;

    AlipayChannel(SecureRandom random, String appId) {
        this.random = random;
        this.alipayKey = Signatures.rsa2048(random);
        this.foreignKey = Signatures.rsa2048(random);
        this.appId = appId;
    }

    public KeyPair alipayKey() {
        return alipayKey;
    }

    public String appId() {
        return appId;
    }

    public CallbackEnvelope notification(PaymentFacts f, Instant now, String sourceAddress, Forgery forgery) {
        Instant stamped = forgery == Forgery.STALE ? now.minus(Duration.ofMinutes(30)) : now;
        String notifyId = Signatures.randomAlnum(random, 32);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("notify_time", TIME.format(stamped));
        p.put("notify_type", "trade_status_sync");
        p.put("notify_id", notifyId);
        p.put("charset", "utf-8");
        p.put("version", "1.0");
        p.put("app_id", forgery == Forgery.UNKNOWN_KEY ? "2021000000000000" : appId);
        p.put("auth_app_id", appId);
        p.put("trade_no", f.channelTxnId());
        p.put("out_trade_no", f.paymentId());
        p.put("trade_status", tradeStatus(f.outcome()));
        p.put("total_amount", f.amountYuan());
        p.put("receipt_amount", f.amountYuan());
        p.put("buyer_pay_amount", f.amountYuan());
        p.put("subject", "paystream order");
        p.put("gmt_create", TIME.format(f.paidAt() == null ? now : f.paidAt()));
        if (f.paidAt() != null) {
            p.put("gmt_payment", TIME.format(f.paidAt()));
        }
        p.put("seller_id", "2088" + Math.abs(appId.hashCode()));
        String content = Signatures.sortedContent(p, "sign", "sign_type");
        p.put("sign_type", "RSA2");
        p.put(
                "sign",
                Signatures.sha256WithRsa(
                        forgery == Forgery.BAD_SIGNATURE ? foreignKey.getPrivate() : alipayKey.getPrivate(), content));
        if (forgery == Forgery.TAMPERED_BODY) {
            p.put(
                    "total_amount",
                    java.math.BigDecimal.valueOf(f.amountCents() + 100, 2).toPlainString());
        }
        return new CallbackEnvelope(
                "ALIPAY",
                notifyId,
                sourceAddress,
                now.toEpochMilli(),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                form(p));
    }

    static String tradeStatus(String outcome) {
        switch (outcome) {
            case "SUCCESS":
                return "TRADE_SUCCESS";
            case "CLOSED":
            case "FAILED":
                return "TRADE_CLOSED";
            default:
                throw new IllegalArgumentException("Alipay does not notify " + outcome);
        }
    }

    static String form(Map<String, String> params) {
        StringJoiner j = new StringJoiner("&");
        params.forEach((k, v) -> j.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }
}
