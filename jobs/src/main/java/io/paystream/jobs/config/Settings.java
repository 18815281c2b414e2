package io.paystream.jobs.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * A job's settings, from (later wins): option defaults, {@code paystream.<key>} entries of the Flink
 * configuration the job is submitted with (the cluster's {@code config.yaml}, {@code flink run -D},
 * a FlinkDeployment's {@code flinkConfiguration}), a {@code --config FILE} of {@code key: value}
 * lines, {@code PAYSTREAM_*} environment variables, and {@code --key value} arguments. Everything is
 * parsed and checked when loaded, so a typo or a missing secret fails the job at submission with a
 * message naming the setting and where it came from, not minutes later inside an operator.
 *
 * <p>Secrets (options declared with {@link PaystreamOptions#secret}) are refused in the Flink
 * configuration: Flink logs it at start and shows it in the web UI, masking only keys that contain
 * words such as "password" or "secret". A shared cluster configuration may hold settings of other
 * paystream jobs; those are ignored by the jobs that do not have them, while a key no paystream job
 * knows is refused with a suggestion.
 */
public final class Settings {
    public static final String ENV_PREFIX = "PAYSTREAM_";
    /** Prefix of paystream settings inside a Flink configuration: {@code paystream.mysql.hostname}. */
    public static final String FLINK_CONFIG_PREFIX = "paystream.";

    private final Configuration configuration;
    private final Map<String, ConfigOption<?>> known;

    private Settings(Configuration configuration, Map<String, ConfigOption<?>> known) {
        this.configuration = configuration;
        this.known = known;
    }

    /** Loads and validates; throws {@link InvalidSettingsException} listing every problem found. */
    public static Settings load(String[] args, Map<String, String> environment, Collection<ConfigOption<?>> options) {
        return load(Map.of(), Set.of(), args, environment, options);
    }

    /**
     * Loads and validates all layers; throws {@link InvalidSettingsException} listing every problem.
     *
     * @param flinkConfiguration the Flink configuration the job is submitted with, as strings; only
     *     its {@code paystream.*} entries are read
     * @param keysOfOtherJobs settings of the other paystream jobs: in the Flink configuration they are
     *     ignored instead of refused as unknown (a session cluster's configuration serves every job)
     */
    public static Settings load(
            Map<String, String> flinkConfiguration,
            Set<String> keysOfOtherJobs,
            String[] args,
            Map<String, String> environment,
            Collection<ConfigOption<?>> options) {
        Map<String, ConfigOption<?>> known = new TreeMap<>();
        for (ConfigOption<?> o : options) {
            known.put(o.key(), o);
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> origin = new HashMap<>();
        readFlinkConfiguration(flinkConfiguration, keysOfOtherJobs, known, raw, origin, problems);
        Map<String, String> fromArgs = parseArgs(args, problems);
        String configFile = fromArgs.remove("config");
        if (configFile != null) {
            readFile(Path.of(configFile), problems).forEach((k, v) -> put(raw, origin, k, v, configFile));
        }
        readEnvironment(environment, known, raw, origin);
        fromArgs.forEach((k, v) -> put(raw, origin, k, v, "--" + k));
        Configuration conf = parse(known, raw, origin, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new Settings(conf, known);
    }

    /** The {@code paystream.*} entries of the Flink configuration: no secrets, no unknown keys. */
    private static void readFlinkConfiguration(
            Map<String, String> flinkConfiguration,
            Set<String> keysOfOtherJobs,
            Map<String, ConfigOption<?>> known,
            Map<String, String> raw,
            Map<String, String> origin,
            List<String> problems) {
        for (Map.Entry<String, String> e : new TreeMap<>(flinkConfiguration).entrySet()) {
            if (!e.getKey().startsWith(FLINK_CONFIG_PREFIX)) {
                continue;
            }
            String key = e.getKey().substring(FLINK_CONFIG_PREFIX.length());
            ConfigOption<?> option = known.get(key);
            if (option == null && keysOfOtherJobs.contains(key)) {
                continue; // another paystream job's setting in a shared cluster configuration
            }
            if (option != null && isSecret(option)) {
                problems.add("setting '" + key + "' is a secret and must not be in the Flink configuration ("
                        + e.getKey() + "), which Flink logs and shows in its web UI: set " + envName(key) + " instead");
                continue;
            }
            if (option == null) {
                problems.add("unknown setting '" + key + "' in the Flink configuration (" + e.getKey() + ")"
                        + suggestion(key, union(known.keySet(), keysOfOtherJobs), FLINK_CONFIG_PREFIX));
                continue;
            }
            put(raw, origin, key, e.getValue(), "Flink configuration " + e.getKey());
        }
    }

    /** The {@code PAYSTREAM_*} variables of known settings. */
    private static void readEnvironment(
            Map<String, String> environment,
            Map<String, ConfigOption<?>> known,
            Map<String, String> raw,
            Map<String, String> origin) {
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX)) {
                String key = keyOfEnv(e.getKey(), known);
                // An empty variable counts as unset: docker-compose passes ${VAR:-} as "".
                if (key != null && !e.getValue().isEmpty()) {
                    put(raw, origin, key, e.getValue(), e.getKey());
                }
            }
        }
    }

    /** Every known value parsed once now: a malformed duration or number fails here, by name. */
    private static Configuration parse(
            Map<String, ConfigOption<?>> known,
            Map<String, String> raw,
            Map<String, String> origin,
            List<String> problems) {
        Configuration conf = new Configuration();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (!known.containsKey(e.getKey())) {
                problems.add("unknown setting '" + e.getKey() + "'" + suggestion(e.getKey(), known.keySet(), "")
                        + ", given by " + origin.get(e.getKey()));
            } else {
                conf.setString(e.getKey(), e.getValue());
            }
        }
        for (ConfigOption<?> o : known.values()) {
            try {
                conf.get(o);
            } catch (RuntimeException ex) {
                problems.add("setting '" + o.key() + "' = '" + raw.get(o.key()) + "' is invalid (from "
                        + origin.get(o.key()) + "): " + ex.getMessage());
            }
        }
        return conf;
    }

    /**
     * A secret: an option declared with {@link PaystreamOptions#secret}. Secrets are accepted from
     * the environment, a config file or arguments only.
     */
    public static boolean isSecret(ConfigOption<?> option) {
        return PaystreamOptions.isSecret(option);
    }

    private static void put(
            Map<String, String> raw, Map<String, String> origin, String key, String value, String from) {
        raw.put(key, value);
        origin.put(key, from);
    }

    public <T> T get(ConfigOption<T> option) {
        return configuration.get(option);
    }

    public boolean isSet(ConfigOption<?> option) {
        return configuration.contains(option);
    }

    /** The value of a setting that has no default and must be given. */
    public <T> T required(ConfigOption<T> option) {
        T value = configuration.get(option);
        if (value == null || (value instanceof String && ((String) value).isBlank())) {
            throw new InvalidSettingsException(List.of(missing(option)));
        }
        return value;
    }

    /** Fails with one message naming every missing one of these required settings. */
    public void requireAll(ConfigOption<?>... options) {
        List<String> problems = new ArrayList<>();
        for (ConfigOption<?> o : options) {
            Object v = configuration.get(o);
            if (v == null || (v instanceof String && ((String) v).isBlank())) {
                problems.add(missing(o));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    /** A copy of the effective settings (secrets included: never log it whole). */
    public Configuration toConfiguration() {
        return new Configuration(configuration);
    }

    public Collection<ConfigOption<?>> knownOptions() {
        return known.values();
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String missing(ConfigOption<?> o) {
        return "setting '" + o.key() + "' is required: pass --" + o.key() + " <value> or set " + envName(o.key());
    }

    private static String keyOfEnv(String envVar, Map<String, ConfigOption<?>> known) {
        for (String key : known.keySet()) {
            if (envName(key).equals(envVar)) {
                return key;
            }
        }
        return null; // other PAYSTREAM_ variables (e.g. of the sandbox script) are not job settings
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
                int sep = indexOfSeparator(t);
                if (sep <= 0) {
                    problems.add(file + ":" + n + ": expected 'key: value', got '" + t + "'");
                    continue;
                }
                out.put(
                        t.substring(0, sep).strip(),
                        unquote(t.substring(sep + 1).strip()));
            }
        } catch (IOException e) {
            problems.add("cannot read config file " + file + ": " + e.getMessage());
        }
        return out;
    }

    private static int indexOfSeparator(String line) {
        int colon = line.indexOf(':');
        int eq = line.indexOf('=');
        if (colon < 0) return eq;
        if (eq < 0) return colon;
        return Math.min(colon, eq);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static String suggestion(String key, Collection<String> known, String prefix) {
        String best = null;
        int bestDistance = 4;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null ? "" : " (did you mean '" + prefix + best + "'?)";
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
