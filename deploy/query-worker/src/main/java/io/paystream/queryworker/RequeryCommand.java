package io.paystream.queryworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A {@code payment.requery} command (docs/contract.md); only the fields the worker needs. */
record RequeryCommand(String commandId, String paymentId, String channel, long payingSince) {
    /** Parses a record value; throws IllegalArgumentException naming what is wrong. */
    static RequeryCommand parse(ObjectMapper json, byte[] value) {
        JsonNode n;
        try {
            n = json.readTree(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String commandId = text(n, "commandId");
        String paymentId = text(n, "paymentId");
        String channel = text(n, "channel");
        if (paymentId.length() > 64) {
            throw new IllegalArgumentException("paymentId longer than 64 characters");
        }
        return new RequeryCommand(
                commandId, paymentId, channel, n.path("payingSince").asLong(0));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("missing or empty '" + field + "'");
        }
        return v.asText();
    }
}
