package io.paystream.sqlrunner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of sql/catalog.sql's {@code ${PAYSTREAM_...}} placeholders, named as the jobs name
 * their environment variables ({@code PAYSTREAM_} + the setting key in upper case, {@code .} and
 * {@code -} as {@code _}), so one environment configures the jobs and the catalog alike.
 */
final class CatalogValues {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    /** The job setting each endpoint of the sandbox's endpoints file stands for, where the names differ. */
    private static final Map<String, String> SANDBOX_ENDPOINT_SETTINGS = Map.of(
            "mysql.cdc-username", "mysql.username",
            "mysql.cdc-password", "mysql.password",
            "elasticsearch.url", "elasticsearch.hosts");

    private CatalogValues() {}

    /** The environment variable of a job setting (as the jobs' Settings.envName). */
    static String envName(String settingKey) {
        return "PAYSTREAM_"
                + settingKey
                        .toUpperCase(java.util.Locale.ROOT)
                        .replace('.', '_')
                        .replace('-', '_');
    }

    /** Values from the endpoints file of {@code deploy/sandbox --endpoints-file}: a flat JSON object of strings. */
    static Map<String, String> fromSandboxEndpoints(Path file) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the endpoints file " + file + ": " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the endpoints file " + file + " is no JSON object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String setting = SANDBOX_ENDPOINT_SETTINGS.getOrDefault(e.getKey(), e.getKey());
            values.put(envName(setting), e.getValue().asText());
        }
        return values;
    }

    /** The placeholders named in a script, in order of first appearance. */
    static List<String> placeholders(String script) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(withoutComments(script));
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * The script with every placeholder replaced by its value; comment lines are left as they are
     * (they mention placeholders too). Fails naming every placeholder that has no value.
     */
    static String fill(String script, Map<String, String> values) {
        TreeSet<String> missing = new TreeSet<>();
        for (String name : placeholders(script)) {
            String v = values.get(name);
            if (v == null || v.isEmpty()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no value for " + String.join(", ", missing)
                    + ": set " + (missing.size() == 1 ? "it" : "them") + " in the environment (as for the jobs)"
                    + " or pass --endpoints with the endpoints file of deploy/sandbox");
        }
        StringBuilder out = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            if (line.strip().startsWith("--")) {
                out.append(line);
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(line);
            StringBuilder filled = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(filled, Matcher.quoteReplacement(sqlLiteralBody(valueFor(m.group(1), values))));
            }
            m.appendTail(filled);
            out.append(filled);
        }
        return out.toString();
    }

    private static String valueFor(String name, Map<String, String> values) {
        String v = values.get(name);
        // The jobs take comma-separated Elasticsearch URLs; the connector's 'hosts' list is split on ';'.
        return name.equals(envName("elasticsearch.hosts")) ? v.replace(',', ';') : v;
    }

    /** Placeholders stand inside '...' literals: a quote in a value (a password) is doubled. */
    private static String sqlLiteralBody(String value) {
        return value.replace("'", "''");
    }

    private static String withoutComments(String script) {
        StringBuilder b = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }
}
