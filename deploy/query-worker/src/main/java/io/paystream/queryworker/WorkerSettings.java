package io.paystream.queryworker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query worker's settings, in the jobs' style (later wins): defaults, a {@code --config FILE} of
 * {@code key: value} lines, {@code PAYSTREAM_*} environment variables ({@code channel.wechat.mch-id}
 * is {@code PAYSTREAM_CHANNEL_WECHAT_MCH_ID}) and {@code --key value} arguments. Everything is parsed
 * and checked when loaded; every problem is reported at once, naming the setting and where it came
 * from. Secrets (keys, the answers' HMAC secrets) are never part of a message or a log line.
 */
public final class WorkerSettings {
    public static final String ENV_PREFIX = "PAYSTREAM_";

    enum Type {
        STRING,
        INT,
        DOUBLE,
        DURATION
    }

    /** One setting: its key, type, default (null: none) and whether it is a secret. */
    public record Option(String key, Type type, String defaultValue, boolean secret, String description) {}

    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

    private static Option opt(String key, Type type, String def, String description) {
        Option o = new Option(key, type, def, false, description);
        OPTIONS.put(key, o);
        return o;
    }

    private static Option secret(String key, String description) {
        Option o = new Option(key, Type.STRING, null, true, description);
        OPTIONS.put(key, o);
        return o;
    }

    public static final Option KAFKA_BOOTSTRAP =
            opt("kafka.bootstrap-servers", Type.STRING, null, "Kafka brokers (required).");
    public static final Option TOPIC_REQUERY =
            opt("kafka.topic.requery", Type.STRING, "payment.requery", "The payment commands consumed.");
    public static final Option TOPIC_REFUND_REQUERY = opt(
            "kafka.topic.refund-requery",
            Type.STRING,
            "refund.requery",
            "The refund commands consumed (answered on the same results topic).");
    public static final Option TOPIC_QUERY_RESULTS =
            opt("kafka.topic.query-results", Type.STRING, "payment.query-results", "Where signed answers go.");
    public static final Option TOPIC_DLQ = opt("kafka.topic.dlq", Type.STRING, "paystream.dlq", "Dead letters.");
    public static final Option GROUP_ID =
            opt("query.group-id", Type.STRING, "paystream-query-worker", "Consumer group of the workers.");
    public static final Option CHANNELS = opt(
            "query.channels",
            Type.STRING,
            "WECHAT,ALIPAY,UNIONPAY",
            "Channels this worker queries (others go to the DLQ).");
    public static final Option HMAC_KEYS = secret(
            "query.hmac-keys", "Answer-signing secrets `keyId=secret[,...]` (required; the jobs' `query.hmac-keys`).");
    public static final Option SIGNING_KEY_ID =
            opt("query.signing-key-id", Type.STRING, null, "Which `query.hmac-keys` entry signs (default: the first).");
    public static final Option MAX_IN_FLIGHT =
            opt("query.max-in-flight", Type.INT, "64", "Queries (including their retry waits) in flight at once.");
    public static final Option MAX_ATTEMPTS =
            opt("query.max-attempts", Type.INT, "6", "Attempts per command before it goes to the DLQ.");
    public static final Option BACKOFF_INITIAL =
            opt("query.backoff.initial", Type.DURATION, "200ms", "First retry delay (doubles, full jitter).");
    public static final Option BACKOFF_MAX = opt("query.backoff.max", Type.DURATION, "10s", "Longest retry delay.");
    public static final Option REQUEST_TIMEOUT =
            opt("query.request-timeout", Type.DURATION, "5s", "One HTTP query's timeout (then retried).");
    public static final Option DEDUPE_CAPACITY =
            opt("query.dedupe-capacity", Type.INT, "100000", "Command ids remembered for deduplication.");
    public static final Option RATE_WECHAT =
            opt("query.rate.wechat", Type.DOUBLE, "50", "Queries per second to WeChat Pay (token bucket).");
    public static final Option RATE_ALIPAY =
            opt("query.rate.alipay", Type.DOUBLE, "50", "Queries per second to Alipay.");
    public static final Option RATE_UNIONPAY =
            opt("query.rate.unionpay", Type.DOUBLE, "50", "Queries per second to UnionPay.");
    public static final Option RATE_BURST =
            opt("query.rate.burst", Type.INT, "5", "Token bucket size of each channel's rate limit.");
    public static final Option HTTP_PORT =
            opt("query.http.port", Type.INT, "9281", "Port of GET /metrics and GET /health (0: any free port).");
    public static final Option HTTP_HOST = opt("query.http.host", Type.STRING, "0.0.0.0", "Address of that port.");
    public static final Option SHUTDOWN_GRACE =
            opt("query.shutdown-grace", Type.DURATION, "10s", "How long a stop waits for queries in flight.");

    public static final Option WECHAT_BASE_URL =
            opt("channel.wechat.base-url", Type.STRING, "https://api.mch.weixin.qq.com", "WeChat Pay API v3 host.");
    public static final Option WECHAT_MCH_ID = opt("channel.wechat.mch-id", Type.STRING, null, "Merchant id (mchid).");
    public static final Option WECHAT_MERCHANT_SERIAL =
            opt("channel.wechat.merchant-serial", Type.STRING, null, "Serial of the merchant API certificate.");
    public static final Option WECHAT_MERCHANT_KEY =
            secret("channel.wechat.merchant-private-key", "Merchant API private key: PEM text or a PEM file path.");
    public static final Option WECHAT_PLATFORM_KEYS = opt(
            "channel.wechat.platform-keys",
            Type.STRING,
            null,
            "WeChat Pay public keys `serial=PEM text or file[,...]`.");
    public static final Option ALIPAY_GATEWAY = opt(
            "channel.alipay.gateway-url",
            Type.STRING,
            "https://openapi.alipay.com/gateway.do",
            "Alipay OpenAPI gateway.");
    public static final Option ALIPAY_APP_ID = opt("channel.alipay.app-id", Type.STRING, null, "Application id.");
    public static final Option ALIPAY_APP_KEY =
            secret("channel.alipay.app-private-key", "Application private key (RSA2): PEM text or file.");
    public static final Option ALIPAY_PUBLIC_KEY =
            opt("channel.alipay.public-key", Type.STRING, null, "Alipay's public key: PEM text or file.");
    public static final Option UNIONPAY_QUERY_URL = opt(
            "channel.unionpay.query-url",
            Type.STRING,
            "https://gateway.95516.com/gateway/api/queryTrans.do",
            "UnionPay ACP query endpoint.");
    public static final Option UNIONPAY_MER_ID =
            opt("channel.unionpay.mer-id", Type.STRING, null, "Merchant id (merId).");
    public static final Option UNIONPAY_CERT_ID =
            opt("channel.unionpay.cert-id", Type.STRING, null, "certId of the merchant's signing certificate.");
    public static final Option UNIONPAY_KEY =
            secret("channel.unionpay.private-key", "Merchant signing private key: PEM text or file.");
    public static final Option UNIONPAY_PUBLIC_KEYS = opt(
            "channel.unionpay.public-keys",
            Type.STRING,
            null,
            "UnionPay signing public keys `certId=PEM text or file[,...]`.");

    private final Map<String, String> values;

    private WorkerSettings(Map<String, String> values) {
        this.values = values;
    }

    /** Every option, in the order of the README's table. */
    public static List<Option> options() {
        return List.copyOf(OPTIONS.values());
    }

    /** From {@code --config FILE}, the environment and {@code --key value} arguments. */
    public static WorkerSettings load(String[] args, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        Map<String, String> fromArgs = parseArgs(args, problems);
        String file = fromArgs.remove("config");
        if (file != null) {
            readFile(Path.of(file), problems).forEach((k, v) -> {
                raw.put(k, v);
                origin.put(k, file);
            });
        }
        for (Option o : OPTIONS.values()) {
            String v = environment.get(envName(o.key()));
            if (v != null && !v.isEmpty()) {
                raw.put(o.key(), v);
                origin.put(o.key(), envName(o.key()));
            }
        }
        fromArgs.forEach((k, v) -> {
            Option o = OPTIONS.get(k);
            if (o != null && o.secret()) {
                problems.add("setting '" + k + "' is a secret and must not be on the command line (ps shows it): set "
                        + envName(k) + " or put it in the --config file");
                return;
            }
            raw.put(k, v);
            origin.put(k, "--" + k);
        });
        return check(raw, origin, problems);
    }

    /** In-process (embedding, tests): the given map is the whole configuration, over the defaults. */
    public static WorkerSettings of(Map<String, String> settings) {
        Map<String, String> origin = new LinkedHashMap<>();
        settings.keySet().forEach(k -> origin.put(k, "the settings map"));
        return check(new LinkedHashMap<>(settings), origin, new ArrayList<>());
    }

    /** A copy with some settings replaced (checked again). */
    public WorkerSettings with(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.putAll(overrides);
        return of(m);
    }

    private static WorkerSettings check(Map<String, String> raw, Map<String, String> origin, List<String> problems) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            Option o = OPTIONS.get(e.getKey());
            if (o == null) {
                problems.add("unknown setting '" + e.getKey() + "', given by " + origin.get(e.getKey())
                        + suggestion(e.getKey()));
                continue;
            }
            String v = e.getValue().strip();
            try {
                parse(o, v);
                values.put(o.key(), v);
            } catch (RuntimeException ex) {
                problems.add("setting '" + o.key() + "' = "
                        + (o.secret() ? "(secret)" : "'" + v + "'") + " is invalid (from " + origin.get(o.key()) + "): "
                        + ex.getMessage());
            }
        }
        for (Option o : OPTIONS.values()) {
            if (!values.containsKey(o.key()) && o.defaultValue() != null) {
                values.put(o.key(), o.defaultValue());
            }
        }
        WorkerSettings s = new WorkerSettings(values);
        requireSet(s, problems, KAFKA_BOOTSTRAP, HMAC_KEYS);
        Set<String> channels = new TreeSet<>();
        for (String c : s.get(CHANNELS).split(",")) {
            String ch = c.strip().toUpperCase(Locale.ROOT);
            if (ch.isEmpty()) {
                continue;
            }
            if (!Set.of("WECHAT", "ALIPAY", "UNIONPAY").contains(ch)) {
                problems.add("setting 'query.channels' names unknown channel '" + c + "' (WECHAT, ALIPAY, UNIONPAY)");
            }
            channels.add(ch);
        }
        if (channels.contains("WECHAT")) {
            requireSet(s, problems, WECHAT_MCH_ID, WECHAT_MERCHANT_SERIAL, WECHAT_MERCHANT_KEY, WECHAT_PLATFORM_KEYS);
        }
        if (channels.contains("ALIPAY")) {
            requireSet(s, problems, ALIPAY_APP_ID, ALIPAY_APP_KEY, ALIPAY_PUBLIC_KEY);
        }
        if (channels.contains("UNIONPAY")) {
            requireSet(s, problems, UNIONPAY_MER_ID, UNIONPAY_CERT_ID, UNIONPAY_KEY, UNIONPAY_PUBLIC_KEYS);
        }
        for (Option o : List.of(MAX_IN_FLIGHT, MAX_ATTEMPTS, DEDUPE_CAPACITY, RATE_BURST)) {
            if (s.values.containsKey(o.key()) && s.getInt(o) < 1) {
                problems.add("setting '" + o.key() + "' must be at least 1");
            }
        }
        for (Option o : List.of(RATE_WECHAT, RATE_ALIPAY, RATE_UNIONPAY)) {
            if (s.getDouble(o) <= 0) {
                problems.add("setting '" + o.key() + "' must be a positive rate (queries per second)");
            }
        }
        if (s.values.containsKey(HMAC_KEYS.key())) {
            try {
                Map<String, String> keys = s.keyMap(HMAC_KEYS);
                if (s.isSet(SIGNING_KEY_ID) && !keys.containsKey(s.get(SIGNING_KEY_ID))) {
                    problems.add("setting 'query.signing-key-id' names key '" + s.get(SIGNING_KEY_ID)
                            + "', which 'query.hmac-keys' does not have");
                }
            } catch (IllegalArgumentException e) {
                problems.add("setting 'query.hmac-keys' is invalid: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return s;
    }

    private static void requireSet(WorkerSettings s, List<String> problems, Option... options) {
        for (Option o : options) {
            if (!s.isSet(o)) {
                problems.add("setting '" + o.key() + "' is required: pass --" + o.key() + " <value> or set "
                        + envName(o.key()));
            }
        }
    }

    private static Object parse(Option o, String v) {
        switch (o.type()) {
            case INT:
                return Integer.parseInt(v);
            case DOUBLE:
                return Double.parseDouble(v);
            case DURATION:
                return duration(v);
            default:
                return v;
        }
    }

    static Duration duration(String v) {
        String t = v.strip().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 5s, 2min, 1h");
        }
        long n = Long.parseLong(t.substring(0, i));
        switch (t.substring(i).strip()) {
            case "ms":
                return Duration.ofMillis(n);
            case "":
            case "s":
                return Duration.ofSeconds(n);
            case "min":
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                throw new IllegalArgumentException("unknown unit '" + t.substring(i) + "' (ms, s, min, h)");
        }
    }

    public boolean isSet(Option o) {
        String v = values.get(o.key());
        return v != null && !v.isBlank();
    }

    public String get(Option o) {
        return values.get(o.key());
    }

    public int getInt(Option o) {
        return Integer.parseInt(values.get(o.key()));
    }

    public double getDouble(Option o) {
        return Double.parseDouble(values.get(o.key()));
    }

    public Duration getDuration(Option o) {
        return duration(values.get(o.key()));
    }

    /** The channels to query. */
    public Set<String> channels() {
        Set<String> out = new TreeSet<>();
        for (String c : get(CHANNELS).split(",")) {
            if (!c.isBlank()) {
                out.add(c.strip().toUpperCase(Locale.ROOT));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** A {@code id=value[,id=value]} setting as a map, in order. */
    public Map<String, String> keyMap(Option o) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : get(o).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("expected id=value entries separated by commas");
            }
            out.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no entries");
        }
        return out;
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The effective settings for a log line: secrets masked. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> {
            Option o = OPTIONS.get(k);
            b.append(k)
                    .append('=')
                    .append(o.secret() ? "******" : (v.contains("BEGIN") ? "(PEM)" : v))
                    .append(' ');
        });
        return b.toString().strip();
    }

    private static String suggestion(String key) {
        for (String k : OPTIONS.keySet()) {
            if (distance(k, key) <= 3) {
                return " (did you mean '" + k + "'?)";
            }
        }
        return "";
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
                int sep = t.indexOf(':');
                if (sep <= 0) {
                    problems.add(file + ":" + n + ": expected 'key: value', got a line without ':'");
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

    /** A configuration error found at start: the message names every bad or missing setting. */
    public static final class InvalidSettingsException extends IllegalArgumentException {
        private final List<String> problems;

        InvalidSettingsException(List<String> problems) {
            super("query worker configuration is invalid:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
