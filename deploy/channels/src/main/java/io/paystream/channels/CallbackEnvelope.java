package io.paystream.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A channel notification as the shop's gateway hands it to Kafka ({@code payment.callbacks}): which
 * channel, the peer address it came from, when it was received, the headers that matter and the
 * body exactly as received (docs/contract.md).
 */
public final class CallbackEnvelope {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final String channel;
    public final String notifyId;
    public final String sourceAddress;
    public final long receivedAtMs;
    public final Map<String, String> headers;
    public final String body;

    public CallbackEnvelope(
            String channel,
            String notifyId,
            String sourceAddress,
            long receivedAtMs,
            Map<String, String> headers,
            String body) {
        this.channel = channel;
        this.notifyId = notifyId;
        this.sourceAddress = sourceAddress;
        this.receivedAtMs = receivedAtMs;
        this.headers = new LinkedHashMap<>(headers);
        this.body = body;
    }

    /** The same notification seen again from {@code address} at {@code receivedAtMs} (a resend or a forgery). */
    public CallbackEnvelope resent(String address, long receivedAtMs) {
        return new CallbackEnvelope(channel, notifyId, address, receivedAtMs, headers, body);
    }

    public CallbackEnvelope withBody(String newBody) {
        return new CallbackEnvelope(channel, notifyId, sourceAddress, receivedAtMs, headers, newBody);
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("channel", channel);
        n.put("notifyId", notifyId);
        n.put("sourceAddress", sourceAddress);
        n.put("receivedAt", receivedAtMs);
        ObjectNode h = n.putObject("headers");
        headers.forEach(h::put);
        n.put("body", body);
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
