package io.paystream.jobs.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order index's endpoints and its template: {@code deploy/elasticsearch/orders-template.json}
 * (bundled in the job jar) is installed when missing or older, and the index is created from it
 * when missing, whatever its name, so the mapping never comes from Elasticsearch's guesses.
 */
public final class OrderIndex {
    public static final String TEMPLATE_NAME = "paystream-orders";
    static final String TEMPLATE_RESOURCE = "/paystream/elasticsearch/orders-template.json";
    private static final Logger LOG = LoggerFactory.getLogger(OrderIndex.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private OrderIndex() {}

    /** Comma-separated URLs ({@code http://es1:9200,http://es2:9200}) as hosts; refuses a malformed list. */
    public static HttpHost[] hosts(String urls) {
        List<HttpHost> hosts = new ArrayList<>();
        for (String url : urls.split(",")) {
            String u = url.strip();
            if (!u.isEmpty()) {
                if (!u.startsWith("http://") && !u.startsWith("https://")) {
                    throw new IllegalArgumentException("'" + u + "' is not an http(s) URL");
                }
                hosts.add(HttpHost.create(u));
            }
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no Elasticsearch URL given");
        }
        return hosts.toArray(new HttpHost[0]);
    }

    public static RestClient client(String urls) {
        return RestClient.builder(hosts(urls)).build();
    }

    /** The template as bundled: the document of {@code PUT _index_template}. */
    public static JsonNode template() {
        try (InputStream in = OrderIndex.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE_RESOURCE + " is not on the classpath: a broken job jar");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Installs the template if missing or older than the bundled one, creates {@code index} if
     * missing, and adds to its mapping what this version writes: {@code orderNo}, {@code refunds},
     * {@code refundedAmount} and the extra columns of the table mapping ({@code extra.<name>} with its type; name to type in
     * {@code extraTypes}). Adding fields to a mapping is allowed on a live index; a field that
     * exists with another type is refused by Elasticsearch, and the start fails naming it.
     */
    public static void ensure(RestClient client, String index, Map<String, String> extraTypes) throws IOException {
        ensure(client, index);
        ObjectNode properties = JSON.createObjectNode();
        properties.putObject("orderNo").put("type", "keyword");
        // Added after the first template (an index created before has none of them): as bundled.
        JsonNode bundled = template().path("template").path("mappings").path("properties");
        for (String field : new String[] {"refunds", "refundedAmount"}) {
            properties.set(field, bundled.get(field));
        }
        ObjectNode extra = properties.putObject("extra");
        extra.put("type", "object").put("dynamic", "strict");
        ObjectNode extraProperties = extra.putObject("properties");
        extraTypes.forEach((name, type) -> extraProperties.putObject(name).put("type", type));
        ObjectNode body = JSON.createObjectNode();
        body.set("properties", properties);
        Request put = new Request("PUT", "/" + index + "/_mapping");
        put.setEntity(new StringEntity(body.toString(), ContentType.APPLICATION_JSON));
        try {
            client.performRequest(put);
        } catch (ResponseException e) {
            throw new IOException(
                    "the index " + index + " refuses the extra order fields " + extraTypes
                            + " of the table mapping's search-fields (a field of that name with another type?): "
                            + e.getMessage(),
                    e);
        }
    }

    /** Installs the template if missing or older than the bundled one, then creates {@code index} if missing. */
    public static void ensure(RestClient client, String index) throws IOException {
        JsonNode template = template();
        int bundled = template.path("version").asInt();
        int installed = installedTemplateVersion(client);
        if (installed < bundled) {
            Request put = new Request("PUT", "/_index_template/" + TEMPLATE_NAME);
            put.setEntity(new StringEntity(template.toString(), ContentType.APPLICATION_JSON));
            client.performRequest(put);
            LOG.info(
                    "installed index template {} version {} (was {})",
                    TEMPLATE_NAME,
                    bundled,
                    installed < 0 ? "missing" : installed);
        }
        if (exists(client, "/" + index)) {
            return;
        }
        // Explicitly from the template body, so an index name outside its patterns gets it too.
        Request create = new Request("PUT", "/" + index);
        create.setEntity(new StringEntity(template.get("template").toString(), ContentType.APPLICATION_JSON));
        try {
            client.performRequest(create);
            LOG.info("created index {}", index);
        } catch (ResponseException e) {
            // Another subtask created it first: that is the outcome wanted.
            if (!e.getMessage().contains("resource_already_exists_exception")) {
                throw e;
            }
        }
    }

    private static int installedTemplateVersion(RestClient client) throws IOException {
        try {
            Response r = client.performRequest(new Request("GET", "/_index_template/" + TEMPLATE_NAME));
            JsonNode body = JSON.readTree(r.getEntity().getContent());
            return body.path("index_templates")
                    .path(0)
                    .path("index_template")
                    .path("version")
                    .asInt(0);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return -1;
            }
            throw e;
        }
    }

    private static boolean exists(RestClient client, String path) throws IOException {
        Response r = client.performRequest(new Request("HEAD", path));
        return r.getStatusLine().getStatusCode() == 200;
    }
}
