package io.paystream.jobs.search;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.paystream.state.search.OrderDocumentWrite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;

/**
 * One {@code _bulk} request of order writes, in Elasticsearch's NDJSON format, and the reading of its
 * answer. Written by hand on the low-level REST client: what the writer needs of Elasticsearch is
 * this one HTTP call, and the high-level client brought the Elasticsearch server and Lucene (over
 * 20 MB) into the job jar for it.
 *
 * <p>Every write carries its document's binlog version as an external version
 * ({@code external_gte}), so a late older write is refused with 409 instead of applied.
 */
final class OrderBulk {
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final JsonFactory JSON = new JsonFactory();

    private final byte[] indexPrefix;
    private final byte[] deletePrefix;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);

    OrderBulk(String index) {
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(index));
        this.indexPrefix = ("{\"index\":{\"_index\":\"" + quoted + "\",\"_id\":\"").getBytes(StandardCharsets.UTF_8);
        this.deletePrefix = ("{\"delete\":{\"_index\":\"" + quoted + "\",\"_id\":\"").getBytes(StandardCharsets.UTF_8);
    }

    /** Adds a write; {@code source} is the document's JSON (ignored for a delete). */
    void add(OrderDocumentWrite w, byte[] source) {
        body.writeBytes(w.isDelete() ? deletePrefix : indexPrefix);
        body.writeBytes((w.orderId + "\",\"version\":" + w.version + ",\"version_type\":\"external_gte\"}}\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (!w.isDelete()) {
            body.writeBytes(source);
            body.write('\n');
        }
    }

    int sizeInBytes() {
        return body.size();
    }

    Request request() {
        Request r = new Request("POST", "/_bulk");
        r.setEntity(new ByteArrayEntity(body.toByteArray(), NDJSON));
        return r;
    }

    /** One item of a bulk answer: its HTTP status, and the error's type and reason if it failed. */
    static final class Item {
        final int status;
        /** Null: applied (a delete of a missing document answers 404 without an error: applied too). */
        final String error;

        Item(int status, String error) {
            this.status = status;
            this.error = error;
        }
    }

    /**
     * The items of a bulk answer, in request order; null when Elasticsearch reports no error at all
     * (its {@code errors} flag), the common case, which then reads no further.
     */
    static Item[] items(byte[] answer, int expected) throws IOException {
        Item[] items = new Item[expected];
        int n = 0;
        try (JsonParser p = JSON.createParser(answer)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("errors".equals(field) && value == JsonToken.VALUE_FALSE) {
                    return null;
                }
                if (!"items".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(value, JsonToken.START_ARRAY, p);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    p.nextToken(); // the action: index or delete
                    expect(p.nextToken(), JsonToken.START_OBJECT, p);
                    if (n == expected) {
                        throw new IOException("the bulk answer has more than the " + expected + " items sent");
                    }
                    items[n++] = item(p);
                    expect(p.nextToken(), JsonToken.END_OBJECT, p);
                }
            }
        }
        if (n != expected) {
            throw new IOException("the bulk answer has " + n + " items for the " + expected + " sent");
        }
        return items;
    }

    private static Item item(JsonParser p) throws IOException {
        int status = -1;
        String error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("status".equals(field)) {
                status = p.getIntValue();
            } else if ("error".equals(field)) {
                error = value == JsonToken.START_OBJECT ? error(p) : p.getValueAsString();
            } else {
                p.skipChildren();
            }
        }
        return new Item(status, error);
    }

    /** "type: reason" of an item's error object. */
    private static String error(JsonParser p) throws IOException {
        String type = null;
        String reason = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if ("type".equals(field)) {
                type = p.getValueAsString();
            } else if ("reason".equals(field)) {
                reason = p.getValueAsString();
            } else {
                p.skipChildren();
            }
        }
        return type + ": " + reason;
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected bulk answer: " + actual + " at " + p.currentLocation());
        }
    }
}
