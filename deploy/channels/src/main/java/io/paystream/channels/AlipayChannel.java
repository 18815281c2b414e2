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
 * notifies TRADE_SUCCESS (and TRADE_FINISHED, TRADE_CLOSED), and refunds on the same notify.
 */
public final class AlipayChannel {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(WechatPayChannel.BEIJING);
    /** gmt_refund as Alipay publishes it, with milliseconds ({@code 2015-04-28 15:45:57.320}). */
    private static final DateTimeFormatter REFUND_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(WechatPayChannel.BEIJING);

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
        Map<String, String> p = tradeNotify(now, forgery);
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
        return signed(
                p,
                now,
                sourceAddress,
                forgery,
                "total_amount",
                java.math.BigDecimal.valueOf(f.amountCents() + 100, 2).toPlainString());
    }

    /**
     * A refund as Alipay tells it: on the trade's own asynchronous notify, with {@code refund_fee}
     * (all refunded so far), {@code out_biz_no} (the refund request number) and {@code gmt_refund};
     * trade_status TRADE_SUCCESS after a partial refund, TRADE_CLOSED (with gmt_close) after a full
     * one (https://blog.csdn.net/qq_42978230/article/details/146307860, quoting Alipay's FAQ). A
     * tampered one claims one yuan more refunded.
     */
    public CallbackEnvelope refundNotification(RefundFacts f, Instant now, String sourceAddress, Forgery forgery) {
        if (!"SUCCESS".equals(f.status())) {
            throw new IllegalArgumentException("Alipay notifies successful refunds only, not " + f.status());
        }
        boolean full = f.refundedTotalCents() >= f.totalCents();
        Instant refunded = f.refundedAt() == null ? now : f.refundedAt();
        Map<String, String> p = tradeNotify(now, forgery);
        p.put("trade_no", f.paymentTxnId());
        p.put("out_trade_no", f.paymentId());
        p.put("out_biz_no", f.refundId());
        p.put("trade_status", full ? "TRADE_CLOSED" : "TRADE_SUCCESS");
        p.put("total_amount", RefundFacts.yuan(f.totalCents()));
        p.put("receipt_amount", RefundFacts.yuan(f.totalCents()));
        p.put("buyer_pay_amount", RefundFacts.yuan(f.totalCents()));
        p.put("refund_fee", RefundFacts.yuan(f.refundedTotalCents()));
        p.put("subject", "paystream order");
        p.put("gmt_refund", REFUND_TIME.format(refunded));
        if (full) {
            p.put("gmt_close", TIME.format(refunded));
        }
        p.put("seller_id", "2088" + Math.abs(appId.hashCode()));
        return signed(p, now, sourceAddress, forgery, "refund_fee", RefundFacts.yuan(f.refundedTotalCents() + 100));
    }

    /** The parameters every asynchronous notify starts with (stamped long ago for a STALE forgery). */
    private Map<String, String> tradeNotify(Instant now, Forgery forgery) {
        Instant stamped = forgery == Forgery.STALE ? now.minus(Duration.ofMinutes(30)) : now;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("notify_time", TIME.format(stamped));
        p.put("notify_type", "trade_status_sync");
        p.put("notify_id", Signatures.randomAlnum(random, 32));
        p.put("charset", "utf-8");
        p.put("version", "1.0");
        p.put("app_id", forgery == Forgery.UNKNOWN_KEY ? "2021000000000000" : appId);
        p.put("auth_app_id", appId);
        return p;
    }

    /** Signs {@code p} RSA2 (with a foreign key for BAD_SIGNATURE), then tampers {@code tamperKey} if asked. */
    private CallbackEnvelope signed(
            Map<String, String> p,
            Instant now,
            String sourceAddress,
            Forgery forgery,
            String tamperKey,
            String tamperedValue) {
        String content = Signatures.sortedContent(p, "sign", "sign_type");
        p.put("sign_type", "RSA2");
        p.put(
                "sign",
                Signatures.sha256WithRsa(
                        forgery == Forgery.BAD_SIGNATURE ? foreignKey.getPrivate() : alipayKey.getPrivate(), content));
        if (forgery == Forgery.TAMPERED_BODY) {
            p.put(tamperKey, tamperedValue);
        }
        return new CallbackEnvelope(
                "ALIPAY",
                p.get("notify_id"),
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
