package io.paystream.queryworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@code payment.requery} or {@code refund.requery} command (docs/contract.md); only the fields
 * the worker needs. A refund command has a {@link #refundId} (null for a payment command); its
 * {@link #since} is the refund's {@code refundingSince}, a payment command's its {@code payingSince}.
 */
record RequeryCommand(
        String commandId, String paymentId, String channel, long since, String refundId, String channelRefundId) {

    /** A payment command. */
    RequeryCommand(String commandId, String paymentId, String channel, long payingSince) {
        this(commandId, paymentId, channel, payingSince, null, null);
    }

    boolean isRefund() {
        return refundId != null;
    }

    /** What the command is about, for logs and the emulators: the refund id, else the payment id. */
    String subject() {
        return refundId != null ? refundId : paymentId;
    }

    /** The key of the dedupe memory: payment and refund command ids never collide. */
    String dedupeKey() {
        return (refundId != null ? "R|" : "P|") + commandId;
    }

    long payingSince() {
        return since;
    }

    /** Parses a {@code payment.requery} record value; throws IllegalArgumentException naming what is wrong. */
    static RequeryCommand parse(ObjectMapper json, byte[] value) {
        JsonNode n = object(json, value);
        String commandId = text(n, "commandId");
        String paymentId = text(n, "paymentId");
        String channel = text(n, "channel");
        if (paymentId.length() > 64) {
            throw new IllegalArgumentException("paymentId longer than 64 characters");
        }
        return new RequeryCommand(
                commandId, paymentId, channel, n.path("payingSince").asLong(0));
    }

    /** Parses a {@code refund.requery} record value; throws IllegalArgumentException naming what is wrong. */
    static RequeryCommand parseRefund(ObjectMapper json, byte[] value) {
        JsonNode n = object(json, value);
        String commandId = text(n, "commandId");
        String refundId = text(n, "refundId");
        String paymentId = text(n, "paymentId");
        String channel = text(n, "channel");
        if (paymentId.length() > 64 || refundId.length() > 64) {
            throw new IllegalArgumentException("refundId or paymentId longer than 64 characters");
        }
        JsonNode crid = n.get("channelRefundId");
        return new RequeryCommand(
                commandId,
                paymentId,
                channel,
                n.path("refundingSince").asLong(0),
                refundId,
                crid != null && crid.isTextual() && !crid.asText().isBlank() ? crid.asText() : null);
    }

    private static JsonNode object(ObjectMapper json, byte[] value) {
        JsonNode n;
        try {
            n = json.readTree(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return n;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("missing or empty '" + field + "'");
        }
        return v.asText();
    }
}
