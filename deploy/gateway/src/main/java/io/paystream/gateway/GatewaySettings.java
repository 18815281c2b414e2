package io.paystream.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's settings, in the jobs' style (README "Configuration"), from (later wins): the
 * defaults of {@link GatewayOptions}, a {@code --config FILE} of {@code key: value} lines, {@code
 * PAYSTREAM_*} environment variables, and {@code --key value} arguments. Everything is parsed and
 * checked at once, and every problem is reported together, naming the setting and where its value
 * came from. Secrets ({@code kafka.sasl-password}) are taken from the environment only and are
 * never part of {@link #toString()}.
 *
 * <p>Embedded: {@code GatewaySettings.builder().set("kafka.bootstrap-servers", ...).build()}.
 */
public final class GatewaySettings {
    public static final String ENV_PREFIX = "PAYSTREAM_";

    private final Map<String, Object> values;
    private final Map<String, String> origins;

    private GatewaySettings(Map<String, Object> values, Map<String, String> origins) {
        this.values = values;
        this.origins = origins;
    }

    /** Loads and checks every layer; throws {@link InvalidGatewaySettingsException} listing every problem. */
    public static GatewaySettings load(String[] args, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> origin = new HashMap<>();
        Map<String, String> fromArgs = parseArgs(args, problems);
        String configFile = fromArgs.remove("config");
        if (configFile != null) {
            readFile(Path.of(configFile), problems).forEach((k, v) -> {
                raw.put(k, v);
                origin.put(k, configFile);
            });
        }
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            GatewayOption<?> o = optionOfEnv(e.getKey());
            // An empty variable counts as unset: docker-compose passes ${VAR:-} as "".
            if (o != null && !e.getValue().isEmpty()) {
                raw.put(o.key(), e.getValue());
                origin.put(o.key(), e.getKey());
            }
        }
        fromArgs.forEach((k, v) -> {
            raw.put(k, v);
            origin.put(k, "--" + k);
        });
        return check(raw, origin, problems);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings set in code (the sandbox, tests); the secret may be set here too. */
    public static final class Builder {
        private final Map<String, String> raw = new LinkedHashMap<>();

        private Builder() {}

        public Builder set(String key, String value) {
            raw.put(key, value);
            return this;
        }

        public Builder set(GatewayOption<?> option, String value) {
            return set(option.key(), value);
        }

        /** Checks every value; throws {@link InvalidGatewaySettingsException} listing every problem. */
        public GatewaySettings build() {
            Map<String, String> origin = new HashMap<>();
            raw.keySet().forEach(k -> origin.put(k, "code"));
            return check(new LinkedHashMap<>(raw), origin, new ArrayList<>(), true);
        }
    }

    private static GatewaySettings check(Map<String, String> raw, Map<String, String> origin, List<String> problems) {
        return check(raw, origin, problems, false);
    }

    private static GatewaySettings check(
            Map<String, String> raw, Map<String, String> origin, List<String> problems, boolean secretsInCode) {
        Map<String, GatewayOption<?>> known = new LinkedHashMap<>();
        GatewayOptions.ALL.forEach(o -> known.put(o.key(), o));
        for (Map.Entry<String, String> e : raw.entrySet()) {
            GatewayOption<?> o = known.get(e.getKey());
            if (o == null) {
                problems.add("unknown setting '" + e.getKey() + "'" + suggestion(e.getKey(), known.keySet())
                        + ", given by " + origin.get(e.getKey()));
            } else if (o.secret() && !secretsInCode && !origin.get(o.key()).startsWith(ENV_PREFIX)) {
                problems.add("setting '" + o.key() + "' is a secret and is taken from the environment only (given by "
                        + origin.get(o.key()) + "): set " + o.envName() + " instead");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (GatewayOption<?> o : known.values()) {
            String text = raw.containsKey(o.key()) ? raw.get(o.key()) : o.defaultValue();
            if (text == null || (text.isBlank() && o.defaultValue() == null)) {
                continue;
            }
            try {
                values.put(o.key(), o.parse(text));
            } catch (RuntimeException ex) {
                String shown = o.secret() ? "<secret>" : text;
                problems.add("setting '" + o.key() + "' = '" + shown + "' is invalid (from "
                        + origin.getOrDefault(o.key(), "the default") + "): " + ex.getMessage());
            }
        }
        if (values.containsKey(GatewayOptions.KAFKA_SASL_MECHANISM.key())) {
            for (GatewayOption<?> o : List.of(GatewayOptions.KAFKA_SASL_USERNAME, GatewayOptions.KAFKA_SASL_PASSWORD)) {
                if (!values.containsKey(o.key())) {
                    problems.add("setting '" + o.key() + "' is required with kafka.sasl-mechanism: "
                            + (o.secret() ? "set " : "pass --" + o.key() + " <value> or set ") + o.envName());
                }
            }
            String protocol = (String) values.get(GatewayOptions.KAFKA_SECURITY_PROTOCOL.key());
            if (protocol != null && !protocol.startsWith("SASL_")) {
                problems.add("setting 'kafka.security-protocol' = '" + protocol
                        + "' does not use SASL, but kafka.sasl-mechanism is set: use SASL_SSL or SASL_PLAINTEXT");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidGatewaySettingsException(problems);
        }
        return new GatewaySettings(values, origin);
    }

    /** The value of {@code option}, or null when it is unset and has no default. */
    @SuppressWarnings("unchecked")
    public <T> T get(GatewayOption<T> option) {
        return (T) values.get(option.key());
    }

    public boolean isSet(GatewayOption<?> option) {
        return values.containsKey(option.key());
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The effective settings, secrets masked: safe to log. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (GatewayOption<?> o : GatewayOptions.ALL) {
            if (values.containsKey(o.key())) {
                b.append(b.length() == 0 ? "" : ", ")
                        .append(o.key())
                        .append('=')
                        .append(o.secret() ? "<secret>" : text(values.get(o.key())));
            }
        }
        return b.toString();
    }

    private static String text(Object value) {
        if (value instanceof java.time.Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
        return String.valueOf(value);
    }

    private static GatewayOption<?> optionOfEnv(String envVar) {
        if (!envVar.startsWith(ENV_PREFIX)) {
            return null;
        }
        for (GatewayOption<?> o : GatewayOptions.ALL) {
            if (o.envName().equals(envVar)) {
                return o;
            }
        }
        return null; // other PAYSTREAM_ variables (the jobs' settings in a shared environment) are not ours
    }

    private static Map<String, String> parseArgs(String[] args, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                problems.add("unexpected argument '" + a + "': settings are given as --key value or --key=value");
                continue;
            }
            String body = a.substring(2);
            int eq = body.indexOf('=');
            if (eq > 0) {
                out.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < args.length) {
                out.put(body, args[++i]);
            } else {
                problems.add("setting '--" + body + "' has no value");
            }
        }
        return out;
    }

    private static Map<String, String> readFile(Path file, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int colon = t.indexOf(':');
                int eq = t.indexOf('=');
                int sep = colon < 0 ? eq : eq < 0 ? colon : Math.min(colon, eq);
                if (sep <= 0) {
                    problems.add(file + ":" + n + ": expected 'key: value', got '" + t + "'");
                    continue;
                }
                String v = t.substring(sep + 1).strip();
                if (v.length() >= 2
                        && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                    v = v.substring(1, v.length() - 1);
                }
                out.put(t.substring(0, sep).strip(), v);
            }
        } catch (IOException e) {
            problems.add("cannot read config file " + file + ": " + e.getMessage());
        }
        return out;
    }

    private static String suggestion(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = 4;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
