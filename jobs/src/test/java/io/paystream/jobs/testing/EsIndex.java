package io.paystream.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** One index on a real Elasticsearch node, read the way a test needs it: by id, whole, counted. */
public final class EsIndex implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RestClient client;
    private final String index;

    public EsIndex(String httpUrl, String index) {
        this.client = RestClient.builder(HttpHost.create(httpUrl)).build();
        this.index = index;
    }

    public String name() {
        return index;
    }

    /** The stored document ({@code _source}, with {@code _version}), or null when absent. */
    public JsonNode get(long id) {
        try {
            Response r = client.performRequest(new Request("GET", "/" + index + "/_doc/" + id));
            return JSON.readTree(r.getEntity().getContent());
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return null;
            }
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document's {@code _source} by id (refreshes first; up to 10 000 documents). */
    public Map<Long, JsonNode> all() {
        JsonNode hits = request(
                        "POST",
                        "/" + index + "/_search?size=10000&version=true",
                        "{\"query\":{\"match_all\":{}},\"sort\":[{\"orderId\":\"asc\"}]}")
                .path("hits")
                .path("hits");
        Map<Long, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode h : hits) {
            out.put(Long.parseLong(h.get("_id").asText()), h.get("_source"));
        }
        return out;
    }

    /** Versions by id, as Elasticsearch keeps them (refreshes first). */
    public Map<Long, Long> versions() {
        JsonNode hits = request(
                        "POST",
                        "/" + index + "/_search?size=10000&version=true",
                        "{\"query\":{\"match_all\":{}},\"_source\":false}")
                .path("hits")
                .path("hits");
        Map<Long, Long> out = new LinkedHashMap<>();
        for (JsonNode h : hits) {
            out.put(Long.parseLong(h.get("_id").asText()), h.get("_version").asLong());
        }
        return out;
    }

    public long count() {
        return request("GET", "/" + index + "/_count", null).path("count").asLong();
    }

    public boolean exists() {
        try {
            return client.performRequest(new Request("HEAD", "/" + index))
                            .getStatusLine()
                            .getStatusCode()
                    == 200;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode mapping() {
        return request("GET", "/" + index + "/_mapping", null).path(index).path("mappings");
    }

    /** Any request against the node; the body may be null. */
    public JsonNode request(String method, String path, String body) {
        try {
            if (method.equals("POST") && path.contains("_search") || path.endsWith("_count")) {
                if (!exists()) {
                    return JSON.createObjectNode();
                }
                client.performRequest(new Request("POST", "/" + index + "/_refresh"));
            }
            Request r = new Request(method, path);
            if (body != null) {
                r.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
            }
            return JSON.readTree(client.performRequest(r).getEntity().getContent());
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404
                    && e.getMessage().contains("index_not_found_exception")) {
                return JSON.createObjectNode(); // not created yet: nothing in it
            }
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete() {
        try {
            client.performRequest(new Request("DELETE", "/" + index));
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                throw new UncheckedIOException(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
