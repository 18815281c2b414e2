package io.paystream.functions.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** A channel notification as the gateway published it on {@code payment.callbacks} (docs/contract.md). */
final class Envelope {
    final String channel;
    final String notifyId;
    final String sourceAddress;
    final long receivedAt;
    final Map<String, String> headers;
    final String body;

    private Envelope(
            String channel,
            String notifyId,
            String sourceAddress,
            long receivedAt,
            Map<String, String> headers,
            String body) {
        this.channel = channel;
        this.notifyId = notifyId;
        this.sourceAddress = sourceAddress;
        this.receivedAt = receivedAt;
        this.headers = headers;
        this.body = body;
    }

    /** Parses the envelope; throws IllegalArgumentException naming what is missing. */
    static Envelope parse(ObjectMapper json, byte[] value) throws java.io.IOException {
        JsonNode n = json.readTree(value);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, String> headers = new HashMap<>();
        JsonNode h = n.get("headers");
        if (h != null && h.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                // HTTP header names are case-insensitive.
                headers.put(
                        e.getKey().toLowerCase(java.util.Locale.ROOT),
                        e.getValue().asText());
            }
        }
        return new Envelope(
                text(n, "channel"),
                n.path("notifyId").asText(null),
                text(n, "sourceAddress"),
                n.path("receivedAt").asLong(0),
                headers,
                text(n, "body"));
    }

    String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("envelope field '" + field + "' is missing");
        }
        return v.asText();
    }
}
