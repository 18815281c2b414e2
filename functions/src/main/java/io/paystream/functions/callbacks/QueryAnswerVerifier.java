package io.paystream.functions.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.state.contract.Money;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.nio.charset.StandardCharsets;

/**
 * The payment center's query answers: a {keyId, signature, payload} envelope, HMAC by key id,
 * replay window on queriedAt. A payload with {@code "kind":"REFUND"} answers a {@code
 * refund.requery} command and becomes a {@link RefundNotification} ({@code source=QUERY}); any
 * other payload answers a {@code payment.requery} command (docs/contract.md).
 */
final class QueryAnswerVerifier {
    private final ChannelCredentials.Loaded keys;
    private final long replayWindowMs;
    private final ObjectMapper json;
    private final Crypto crypto;

    QueryAnswerVerifier(
            ChannelCredentials credentials, ChannelCredentials.Loaded keys, ObjectMapper json, Crypto crypto) {
        this.keys = keys;
        this.replayWindowMs = credentials.replayWindowMs;
        this.json = json;
        this.crypto = crypto;
    }

    /** A {@code payment.query-results} record; {@code receivedAtMs} is the Kafka record's timestamp. */
    Verdict verify(byte[] value, long receivedAtMs) {
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
            if (p == null || !p.isObject()) {
                return Verdict.malformed("query answer payload is not a JSON object");
            }
            if (isRefund(p)) {
                return refund(p, receivedAtMs);
            }
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
            n.status = status(p.path("status").asText());
            n.paidAt = p.path("paidAt").asLong(0);
            n.source = PaymentNotification.QUERY;
            n.notifyId = p.path("commandId").asText(null);
            n.receivedAt = queriedAt;
            return Verdict.accepted(n);
        } catch (Exception ex) {
            return Verdict.malformed("unreadable query answer: " + ex.getMessage());
        }
    }

    /** Whether a payload answers a refund query: {@code "kind":"REFUND"}. */
    static boolean isRefund(JsonNode payload) {
        return "REFUND".equals(payload.path("kind").asText(""));
    }

    /** A verified refund answer: a RefundNotification with source QUERY; PROCESSING has no status. */
    private Verdict refund(JsonNode p, long receivedAtMs) {
        String refundId = p.path("refundId").asText("");
        String paymentId = p.path("paymentId").asText("");
        if (refundId.isEmpty() || paymentId.isEmpty()) {
            return Verdict.malformed("refund query answer has no refundId or paymentId");
        }
        long queriedAt = p.path("queriedAt").asLong(0);
        if (Math.abs(receivedAtMs - queriedAt) > replayWindowMs) {
            return Verdict.staleRefund(
                    "refund query answer from " + queriedAt + " is " + Math.abs(receivedAtMs - queriedAt) / 1000
                            + " s from its receipt",
                    paymentId,
                    refundId,
                    p.path("commandId").asText(null));
        }
        RefundNotification n = new RefundNotification();
        n.refundId = refundId;
        n.paymentId = paymentId;
        n.channel = PaymentChannel.valueOf(p.path("channel").asText());
        n.channelRefundId = p.path("channelRefundId").asText(null);
        n.refundAmountCents =
                p.hasNonNull("amount") ? Money.cents(p.get("amount").asText()) : null;
        n.status = refundStatus(p.path("status").asText());
        n.refundedAt = n.status == RefundStatus.SUCCESS ? p.path("refundedAt").asLong(0) : 0;
        n.source = RefundNotification.QUERY;
        n.notifyId = p.path("commandId").asText(null);
        n.receivedAt = queriedAt;
        return Verdict.acceptedRefund(n);
    }

    /** A refund answer's status: SUCCESS, FAILED, CLOSED, or PROCESSING (no outcome yet: null). */
    static RefundStatus refundStatus(String status) {
        switch (status) {
            case "SUCCESS":
                return RefundStatus.SUCCESS;
            case "FAILED":
                return RefundStatus.FAILED;
            case "CLOSED":
                return RefundStatus.CLOSED;
            case "PROCESSING":
                return null;
            default:
                throw new IllegalArgumentException("unknown refund query status '" + status + "'");
        }
    }

    /**
     * A forged query answer, naming the payment (and refund) and command its payload claims if it
     * can be read.
     */
    private Verdict forgedAnswer(String reason, String payload) {
        String paymentId = null;
        String refundId = null;
        String commandId = null;
        if (payload.length() <= ChannelVerifiers.MAX_CLAIM_BODY) {
            try {
                JsonNode p = json.readTree(payload);
                if (p != null && p.isObject()) {
                    paymentId = ChannelVerifiers.claimed(p.path("paymentId").asText(null));
                    commandId =
                            p.path("commandId").isTextual() ? p.get("commandId").asText() : null;
                    if (isRefund(p)) {
                        refundId = ChannelVerifiers.claimed(p.path("refundId").asText(null));
                    }
                }
            } catch (Exception ex) {
                // unreadable: the alert names no payment
            }
        }
        return refundId != null
                ? Verdict.forgedRefund(reason, paymentId, refundId, commandId)
                : Verdict.forged(reason, paymentId, commandId);
    }

    static PaymentStatus status(String status) {
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
}
