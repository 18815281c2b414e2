package io.paystream.gateway;

import io.paystream.functions.callbacks.AddressRules;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting of the callback gateway. The Kafka keys are the jobs' own ({@code
 * kafka.bootstrap-servers}, {@code kafka.topic.callbacks}) and so are the allowlists ({@code
 * channel.*.allowlist}), so one environment can serve both; README "The callback gateway" repeats
 * this table.
 */
public final class GatewayOptions {
    private GatewayOptions() {}

    // --- Kafka ----------------------------------------------------------------------------------------
    public static final GatewayOption<String> KAFKA_BOOTSTRAP_SERVERS =
            string("kafka.bootstrap-servers", "localhost:9092", "Kafka bootstrap servers.");
    public static final GatewayOption<String> TOPIC_CALLBACKS =
            string("kafka.topic.callbacks", "payment.callbacks", "The topic every notification is published to.");
    public static final GatewayOption<String> KAFKA_SECURITY_PROTOCOL = new GatewayOption<>(
            "kafka.security-protocol",
            "PLAINTEXT",
            "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.",
            false,
            v -> oneOf(v, Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")));
    public static final GatewayOption<String> KAFKA_SASL_MECHANISM = new GatewayOption<>(
            "kafka.sasl-mechanism",
            null,
            "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with kafka.sasl-username and the password); unset: no SASL.",
            false,
            v -> oneOf(v, Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")));
    public static final GatewayOption<String> KAFKA_SASL_USERNAME =
            string("kafka.sasl-username", null, "SASL user name.");
    public static final GatewayOption<String> KAFKA_SASL_PASSWORD = new GatewayOption<>(
            "kafka.sasl-password",
            null,
            "SASL password (secret: only from PAYSTREAM_KAFKA_SASL_PASSWORD, never logged).",
            true,
            v -> v);
    public static final GatewayOption<Duration> KAFKA_LINGER = new GatewayOption<>(
            "kafka.linger",
            "1 ms",
            "Producer linger.ms: how long a record may wait for others to share its batch.",
            false,
            v -> duration(v, Duration.ZERO, Duration.ofSeconds(1)));

    // --- HTTP -----------------------------------------------------------------------------------------
    public static final GatewayOption<String> HOST =
            string("gateway.host", "0.0.0.0", "Address the HTTP server binds to.");
    public static final GatewayOption<Integer> PORT = new GatewayOption<>(
            "gateway.port", "8080", "HTTP port (0: any free port).", false, v -> integer(v, 0, 65535));
    public static final GatewayOption<Integer> IO_THREADS = new GatewayOption<>(
            "gateway.io-threads",
            "0",
            "Event-loop threads serving HTTP (0: one per core). They never wait on Kafka.",
            false,
            v -> integer(v, 0, 256));
    public static final GatewayOption<Duration> PUBLISH_TIMEOUT = new GatewayOption<>(
            "gateway.publish-timeout",
            "4 s",
            "How long a notification may wait for Kafka's acknowledgement (the producer's delivery.timeout.ms) "
                    + "before the channel gets its failure answer; below the channels' patience (WeChat Pay waits 5 s).",
            false,
            v -> duration(v, Duration.ofMillis(100), Duration.ofMinutes(2)));
    public static final GatewayOption<Long> MAX_BODY_SIZE = new GatewayOption<>(
            "gateway.max-body-size",
            "64 kb",
            "Largest request body accepted (413 above it); a genuine notification is 1-2 kb.",
            false,
            v -> size(v, 1, 16L << 20));
    public static final GatewayOption<Integer> MAX_IN_FLIGHT = new GatewayOption<>(
            "gateway.max-in-flight",
            "1000",
            "Notification requests handled at once (from their headers to their answer); more get 503.",
            false,
            v -> integer(v, 1, 1_000_000));
    public static final GatewayOption<Duration> HEADER_TIMEOUT = new GatewayOption<>(
            "gateway.header-timeout",
            "10 s",
            "From a new connection or a request's first byte to its complete headers (408 and close after).",
            false,
            v -> duration(v, Duration.ofMillis(10), Duration.ofMinutes(10)));
    public static final GatewayOption<Duration> READ_TIMEOUT = new GatewayOption<>(
            "gateway.read-timeout",
            "10 s",
            "From a request's headers to the end of its body (408 and close after).",
            false,
            v -> duration(v, Duration.ofMillis(10), Duration.ofMinutes(10)));
    public static final GatewayOption<Duration> IDLE_TIMEOUT = new GatewayOption<>(
            "gateway.idle-timeout",
            "60 s",
            "A kept-alive connection with no new request is closed after this.",
            false,
            v -> duration(v, Duration.ofMillis(10), Duration.ofHours(1)));
    public static final GatewayOption<Duration> SHUTDOWN_TIMEOUT = new GatewayOption<>(
            "gateway.shutdown-timeout",
            "20 s",
            "On shutdown, how long requests in flight may take to be answered before they get the failure answer.",
            false,
            v -> duration(v, Duration.ZERO, Duration.ofMinutes(10)));
    public static final GatewayOption<AddressRules> TRUSTED_PROXIES = new GatewayOption<>(
            "gateway.trusted-proxies",
            "",
            "CIDRs of the proxies in front (nginx): only from these is X-Forwarded-For (its right-most untrusted "
                    + "hop) or X-Real-IP taken as the source address. Empty: the TCP peer always.",
            false,
            GatewayOptions::cidrs);
    public static final GatewayOption<AddressRules> WECHAT_ALLOWLIST = allowlist("wechat", "WeChat Pay");
    public static final GatewayOption<AddressRules> ALIPAY_ALLOWLIST = allowlist("alipay", "Alipay");
    public static final GatewayOption<AddressRules> UNIONPAY_ALLOWLIST = allowlist("unionpay", "UnionPay");

    public static final List<GatewayOption<?>> ALL = List.of(
            KAFKA_BOOTSTRAP_SERVERS,
            TOPIC_CALLBACKS,
            KAFKA_SECURITY_PROTOCOL,
            KAFKA_SASL_MECHANISM,
            KAFKA_SASL_USERNAME,
            KAFKA_SASL_PASSWORD,
            KAFKA_LINGER,
            HOST,
            PORT,
            IO_THREADS,
            PUBLISH_TIMEOUT,
            MAX_BODY_SIZE,
            MAX_IN_FLIGHT,
            HEADER_TIMEOUT,
            READ_TIMEOUT,
            IDLE_TIMEOUT,
            SHUTDOWN_TIMEOUT,
            TRUSTED_PROXIES,
            WECHAT_ALLOWLIST,
            ALIPAY_ALLOWLIST,
            UNIONPAY_ALLOWLIST);

    private static GatewayOption<String> string(String key, String def, String description) {
        return new GatewayOption<>(key, def, description, false, v -> {
            if (v.isBlank()) {
                throw new IllegalArgumentException("must not be blank");
            }
            return v.strip();
        });
    }

    private static GatewayOption<AddressRules> allowlist(String channel, String name) {
        return new GatewayOption<>(
                "channel." + channel + ".allowlist",
                null,
                name + "'s source-address rules, as the jobs read them (allow/deny CIDRs, first match decides, "
                        + "no match denies): a notification from elsewhere gets 403 at once. Unset: not checked "
                        + "here (the payments job checks it anyway).",
                false,
                AddressRules::parse);
    }

    private static String oneOf(String v, Set<String> allowed) {
        String u = v.strip().toUpperCase(Locale.ROOT);
        if (!allowed.contains(u)) {
            throw new IllegalArgumentException("expected one of " + new java.util.TreeSet<>(allowed));
        }
        return u;
    }

    /** Plain CIDRs (or addresses) only: a trusted proxy list has no deny rules. */
    static AddressRules cidrs(String v) {
        for (String entry : v.split(",")) {
            String e = entry.strip();
            if (e.startsWith("allow ") || e.startsWith("deny ") || e.equals("all")) {
                throw new IllegalArgumentException("'" + e + "': list plain CIDRs (e.g. 10.0.0.0/8, 127.0.0.1)");
            }
        }
        return AddressRules.parse(v);
    }

    static int integer(String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return n;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|sec|min|h|d)?");

    /** {@code 500 ms}, {@code 4 s}, {@code 2 min}, {@code 1 h}, {@code 1 d}; a plain number is milliseconds. */
    static Duration duration(String v, Duration min, Duration max) {
        Matcher m = DURATION.matcher(v.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (e.g. 500 ms, 4 s, 2 min)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "sec" -> Duration.ofSeconds(n);
            case "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("must be between " + text(min) + " and " + text(max));
        }
        return d;
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb)?");

    /** {@code 65536}, {@code 64 kb}, {@code 1 mb} (1024-based). */
    static long size(String v, long min, long max) {
        Matcher m = SIZE.matcher(v.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (e.g. 65536, 64 kb, 1 mb)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long bytes = switch (unit) {
            case "kb" -> n << 10;
            case "mb" -> n << 20;
            default -> n;
        };
        if (bytes < min || bytes > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + " bytes");
        }
        return bytes;
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
