package io.paystream.channels;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * UnionPay (ACP 5.1.0 style) back notifications: form parameters. With {@code signMethod=01} the
 * signature is SHA256-with-RSA over the lower-case hex SHA-256 of the sorted {@code k=v} string
 * (without {@code signature}), by the key named by {@code certId}. A merchant configured for
 * symmetric signing gets {@code signMethod=HMAC}: Base64 HMAC-SHA256 of the sorted string with the
 * merchant's shared secret (docs/contract.md).
 */
public final class UnionPayChannel {
    private static final DateTimeFormatter TXN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(WechatPayChannel.BEIJING);
    private static final DateTimeFormatter TRACE_TIME =
            DateTimeFormatter.ofPattern("MMddHHmmss").withZone(WechatPayChannel.BEIJING);

    private final KeyPair signKey;
    private final KeyPair foreignKey;
    private final String certId;
    private final String merId;
    private final byte[] hmacSecret;
    private final SecureRandom random;

    UnionPayChannel(SecureRandom random, String merId) {
        this.random = random;
        this.signKey = Signatures.rsa2048(random);
        this.foreignKey = Signatures.rsa2048(random);
        this.certId = String.valueOf(60000000000L + random.nextInt(1_000_000_000));
        this.merId = merId;
        this.hmacSecret = Signatures.randomAlnum(random, 32).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public KeyPair signKey() {
        return signKey;
    }

    public String certId() {
        return certId;
    }

    public String merId() {
        return merId;
    }

    public String hmacSecret() {
        return new String(hmacSecret, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** An RSA-signed notification (signMethod=01). */
    public CallbackEnvelope notification(PaymentFacts f, Instant now, String sourceAddress, Forgery forgery) {
        return notification(f, now, sourceAddress, forgery, false);
    }

    /** A notification signed with HMAC-SHA256 ({@code hmac = true}) or RSA. */
    public CallbackEnvelope notification(
            PaymentFacts f, Instant now, String sourceAddress, Forgery forgery, boolean hmac) {
        Instant paid = f.paidAt() == null ? now : f.paidAt();
        String traceNo = String.valueOf(100000 + random.nextInt(900000));
        Map<String, String> p = header(forgery, hmac, "01", "01");
        p.put("orderId", f.paymentId());
        p.put("txnTime", TXN_TIME.format(paid));
        p.put("txnAmt", String.valueOf(f.amountCents()));
        p.put("currencyCode", "156");
        p.put("queryId", f.channelTxnId());
        p.put("respCode", "SUCCESS".equals(f.outcome()) ? "00" : "03");
        p.put("respMsg", "SUCCESS".equals(f.outcome()) ? "Success!" : "Transaction failed");
        p.put("traceNo", traceNo);
        p.put("traceTime", TRACE_TIME.format(paid));
        p.put("settleAmt", String.valueOf(f.amountCents()));
        p.put("settleCurrencyCode", "156");
        p.put("settleDate", TRACE_TIME.format(paid).substring(0, 4));
        return signed(p, f.paymentId() + "-" + traceNo, now, sourceAddress, forgery, hmac, f.amountCents() + 100);
    }

    /** An RSA-signed refund notification (signMethod=01). */
    public CallbackEnvelope refundNotification(RefundFacts f, Instant now, String sourceAddress, Forgery forgery) {
        return refundNotification(f, now, sourceAddress, forgery, false);
    }

    /**
     * A refund (退货, {@code txnType=04}) back notification: {@code orderId} is the refund's own
     * order number, {@code origQryId} the payment's queryId, {@code queryId} the refund's, {@code
     * txnAmt} the refund in fen; respCode 00 when it succeeded, else 03. As the ACP demos publish it
     * (hectorqin/lpays src/libs/upacp_apple_pay/demo/api_05_app/Form_6_4_Refund.php).
     */
    public CallbackEnvelope refundNotification(
            RefundFacts f, Instant now, String sourceAddress, Forgery forgery, boolean hmac) {
        boolean ok = "SUCCESS".equals(f.status());
        Instant at = f.refundedAt() == null ? now : f.refundedAt();
        String traceNo = String.valueOf(100000 + random.nextInt(900000));
        Map<String, String> p = header(forgery, hmac, "04", "00");
        p.put("orderId", f.refundId());
        p.put("origQryId", f.paymentTxnId());
        p.put("txnTime", TXN_TIME.format(at));
        p.put("txnAmt", String.valueOf(f.amountCents()));
        p.put("currencyCode", "156");
        p.put("queryId", f.channelRefundId());
        p.put("respCode", ok ? "00" : "03");
        p.put("respMsg", ok ? "Success!" : "Transaction failed");
        p.put("traceNo", traceNo);
        p.put("traceTime", TRACE_TIME.format(at));
        p.put("settleAmt", String.valueOf(f.amountCents()));
        p.put("settleCurrencyCode", "156");
        p.put("settleDate", TRACE_TIME.format(at).substring(0, 4));
        return signed(p, f.refundId() + "-" + traceNo, now, sourceAddress, forgery, hmac, f.amountCents() + 100);
    }

    /** The parameters every back notification starts with, up to merId. */
    private Map<String, String> header(Forgery forgery, boolean hmac, String txnType, String txnSubType) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("version", "5.1.0");
        p.put("encoding", "UTF-8");
        p.put("signMethod", hmac ? "HMAC" : "01");
        if (!hmac) {
            p.put("certId", forgery == Forgery.UNKNOWN_KEY ? "1" + certId : certId);
        }
        p.put("txnType", txnType);
        p.put("txnSubType", txnSubType);
        p.put("bizType", "000201");
        p.put("accessType", "0");
        p.put("merId", merId);
        return p;
    }

    /** Signs {@code p} (HMAC or RSA, with a foreign key for BAD_SIGNATURE); a tampered one gets {@code tamperedAmount}. */
    private CallbackEnvelope signed(
            Map<String, String> p,
            String notifyId,
            Instant now,
            String sourceAddress,
            Forgery forgery,
            boolean hmac,
            long tamperedAmount) {
        String content = Signatures.sortedContent(p, "signature");
        String signature;
        if (hmac) {
            byte[] key = forgery == Forgery.BAD_SIGNATURE ? "not-the-merchant-secret-000000000".getBytes() : hmacSecret;
            signature = Signatures.hmacSha256Base64(key, content);
        } else {
            signature = Signatures.sha256WithRsa(
                    forgery == Forgery.BAD_SIGNATURE ? foreignKey.getPrivate() : signKey.getPrivate(),
                    Signatures.sha256Hex(content));
        }
        p.put("signature", signature);
        if (forgery == Forgery.TAMPERED_BODY) {
            p.put("txnAmt", String.valueOf(tamperedAmount));
        }
        return new CallbackEnvelope(
                "UNIONPAY",
                notifyId,
                sourceAddress,
                now.toEpochMilli(),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"),
                AlipayChannel.form(p));
    }
}
