package io.paystream.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Answers of the payment center's query worker ({@code payment.query-results}): an envelope
 * {@code {"keyId", "signature", "payload"}} where {@code payload} is a JSON text and
 * {@code signature} the Base64 HMAC-SHA256 of the payload's UTF-8 bytes with the secret named by
 * {@code keyId}. Signing the payload text as sent avoids any JSON canonicalization.
 */
public final class QueryAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String keyId;
    private final byte[] secret;

    QueryAnswers(String keyId, byte[] secret) {
        this.keyId = keyId;
        this.secret = secret;
    }

    public String keyId() {
        return keyId;
    }

    public String secret() {
        return new String(secret, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * A refund query answer ({@code "kind":"REFUND"}, docs/contract.md), as the query worker writes it.
     *
     * @param commandId the {@code refund.requery} command answered
     * @param channel   WECHAT, ALIPAY or UNIONPAY
     * @param facts     what the channel said; its status in WeChat Pay's words (SUCCESS, ABNORMAL,
     *                  CLOSED, PROCESSING), written as the contract's (SUCCESS, FAILED, CLOSED, PROCESSING)
     */
    public String refundAnswer(String commandId, String channel, RefundFacts facts, Instant queriedAt, boolean forged) {
        ObjectNode p = JSON.createObjectNode();
        p.put("kind", "REFUND");
        p.put("commandId", commandId);
        p.put("refundId", facts.refundId());
        p.put("paymentId", facts.paymentId());
        p.put("channel", channel);
        String status = refundStatus(facts.status());
        p.put("status", status);
        if (facts.channelRefundId() != null) {
            p.put("channelRefundId", facts.channelRefundId());
        }
        p.put("amount", RefundFacts.yuan(facts.amountCents()));
        if (facts.refundedAt() != null && "SUCCESS".equals(status)) {
            p.put("refundedAt", facts.refundedAt().toEpochMilli());
        }
        p.put("queriedAt", queriedAt.toEpochMilli());
        return sign(p, forged);
    }

    /** A refund status in WeChat Pay's words as the contract's refund answer says it. */
    public static String refundStatus(String wechatStatus) {
        switch (wechatStatus) {
            case "SUCCESS":
            case "CLOSED":
            case "PROCESSING":
                return wechatStatus;
            case "ABNORMAL":
                return "FAILED";
            default:
                throw new IllegalArgumentException("no refund answer status for " + wechatStatus);
        }
    }

    /**
     * @param commandId the re-query command answered
     * @param channel   WECHAT, ALIPAY or UNIONPAY
     * @param facts     what the channel said; outcome SUCCESS, FAILED, CLOSED, NOTPAY or USERPAYING
     */
    public String answer(String commandId, String channel, PaymentFacts facts, Instant queriedAt, boolean forged) {
        ObjectNode p = JSON.createObjectNode();
        p.put("commandId", commandId);
        p.put("paymentId", facts.paymentId());
        p.put("channel", channel);
        p.put("status", facts.outcome());
        if (facts.channelTxnId() != null) {
            p.put("channelTxnId", facts.channelTxnId());
        }
        p.put("amount", facts.amountYuan());
        if (facts.paidAt() != null) {
            p.put("paidAt", facts.paidAt().toEpochMilli());
        }
        p.put("queriedAt", queriedAt.toEpochMilli());
        return sign(p, forged);
    }

    private String sign(ObjectNode p, boolean forged) {
        try {
            String payload = JSON.writeValueAsString(p);
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("keyId", keyId);
            envelope.put("signature", Signatures.hmacSha256Base64(forged ? new byte[] {1, 2, 3} : secret, payload));
            envelope.put("payload", payload);
            return JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
