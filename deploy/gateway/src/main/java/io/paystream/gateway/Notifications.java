package io.paystream.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.paystream.functions.callbacks.Forms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

/**
 * The envelope of docs/contract.md ({@code payment.callbacks}) and the notification id it is keyed
 * by, read from the body without verifying anything:
 *
 * <ul>
 *   <li>WeChat Pay: the body's top-level {@code id} (the event id);
 *   <li>Alipay: the form parameter {@code notify_id};
 *   <li>UnionPay (no notification id of its own): {@code orderId-traceNo}, as the simulated channel
 *       names it; without {@code traceNo} the {@code queryId}; without both {@code orderId-txnTime};
 * </ul>
 *
 * and, when the body names none of these, {@code gw-} and a random UUID (any unique id, as the
 * contract allows): a resend then gets another id, which the jobs' deduplication by payment
 * outcome still catches.
 */
public final class Notifications {
    private static final JsonFactory JSON = new JsonFactory();
    /** An id longer than this is not the channel's (the jobs key alerts by ids up to 128). */
    static final int MAX_ID = 128;

    private Notifications() {}

    public static String notifyId(Endpoint.Channel channel, String body) {
        String id = switch (channel) {
            case WECHAT -> jsonId(body);
            case ALIPAY -> formValue(body, "notify_id");
            case UNIONPAY -> unionPayId(body);
        };
        return id == null || id.isEmpty() || id.length() > MAX_ID ? "gw-" + UUID.randomUUID() : id;
    }

    private static String unionPayId(String body) {
        String orderId = formValue(body, "orderId");
        String traceNo = formValue(body, "traceNo");
        if (orderId != null && traceNo != null) {
            return orderId + "-" + traceNo;
        }
        String queryId = formValue(body, "queryId");
        if (queryId != null) {
            return queryId;
        }
        String txnTime = formValue(body, "txnTime");
        return orderId != null && txnTime != null ? orderId + "-" + txnTime : null;
    }

    /** The top-level string field {@code id} of a JSON object; null if absent or not JSON. */
    static String jsonId(String body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("id") && v == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** One form parameter, URL-decoded; null when absent, empty, repeated or undecodable (as the job reads it). */
    static String formValue(String body, String name) {
        return Forms.single(body, name);
    }

    /** The contract's envelope as UTF-8 JSON. */
    public static byte[] envelope(
            Endpoint.Channel channel,
            String notifyId,
            String sourceAddress,
            long receivedAt,
            Map<String, String> headers,
            String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() + 512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("channel", channel.name());
            g.writeStringField("notifyId", notifyId);
            g.writeStringField("sourceAddress", sourceAddress);
            g.writeNumberField("receivedAt", receivedAt);
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
            g.writeStringField("body", body);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
