package io.paystream.jobs.cdc;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.mapping.ServerMapping;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.jobs.mapping.TableMapping;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.cdc.connectors.mysql.source.BinlogLagMySqlSource;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;

/**
 * The shop's change data as one job reads it: one Flink CDC {@link MySqlSource} per MySQL server
 * that holds any of the job's logical tables (snapshot, then binlog, exactly-once through
 * checkpoints), each emitting typed {@link ShopChange}s as the table mapping says. Options are named
 * and validated when {@link Builder#build()} is called.
 *
 * <pre>{@code
 * ShopCdcSource cdc = ShopCdcSource.builder()
 *     .mapping(ShopMapping.load(settings, System.getenv()))
 *     .tables(ShopTable.PAYMENTS, ShopTable.ORDERS)
 *     .serverIdRange("5400-5409")
 *     .jobName("payments")
 *     .build();
 * }</pre>
 */
public final class ShopCdcSource {
    private static final Pattern SERVER_ID_RANGE = Pattern.compile("^(\\d+)(?:-(\\d+))?$");

    /** The source of each server, by server name, in the mapping's order. */
    private final Map<ServerMapping, MySqlSource<ShopChange>> sources;

    private final ShopMapping mapping;
    private final OrderNumbers orderNumbers;
    private final String jobName;

    private ShopCdcSource(
            Map<ServerMapping, MySqlSource<ShopChange>> sources,
            ShopMapping mapping,
            OrderNumbers orderNumbers,
            String jobName) {
        this.sources = sources;
        this.mapping = mapping;
        this.orderNumbers = orderNumbers;
        this.jobName = jobName;
    }

    /** How long rows naming an unknown order number wait, and how long a known number is kept. */
    public record OrderNumbers(Duration waitForOrder, Duration retention) {}

    public ShopMapping mapping() {
        return mapping;
    }

    public OrderNumbers orderNumbers() {
        return orderNumbers;
    }

    public String jobName() {
        return jobName;
    }

    public Map<ServerMapping, MySqlSource<ShopChange>> sources() {
        return sources;
    }

    /** The source of the only server the tables live on; refused when they span several. */
    public MySqlSource<ShopChange> single() {
        if (sources.size() != 1) {
            throw new IllegalStateException("the tables live on " + sources.size() + " servers: " + sources.keySet());
        }
        return sources.values().iterator().next();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder filled from the job's settings and table mapping; the job adds its tables. */
    public static Builder fromSettings(Settings settings, String jobName, String defaultServerIdRange) {
        return builder()
                .mapping(ShopMapping.load(settings, System.getenv()))
                .startupMode(settings.get(PaystreamOptions.MYSQL_STARTUP_MODE))
                .snapshotChunkSize(settings.get(PaystreamOptions.MYSQL_SNAPSHOT_CHUNK_SIZE))
                .orderNumbers(new OrderNumbers(
                        settings.get(PaystreamOptions.MYSQL_ORDER_NUMBER_WAIT),
                        settings.get(PaystreamOptions.MYSQL_ORDER_NUMBER_RETENTION)))
                .serverIdRange(
                        settings.isSet(PaystreamOptions.MYSQL_SERVER_ID)
                                ? settings.get(PaystreamOptions.MYSQL_SERVER_ID)
                                : defaultServerIdRange)
                .jobName(jobName);
    }

    /** Parses {@code initial}, {@code latest}, {@code earliest}, {@code snapshot} or {@code timestamp:<epoch-ms>}. */
    public static StartupOptions startupOptions(String mode) {
        String m = mode == null ? "" : mode.strip().toLowerCase();
        if (m.equals("initial")) return StartupOptions.initial();
        if (m.equals("latest")) return StartupOptions.latest();
        if (m.equals("earliest")) return StartupOptions.earliest();
        if (m.equals("snapshot")) return StartupOptions.snapshot(); // bounded: the tables as they are, no binlog
        if (m.startsWith("timestamp:")) {
            try {
                return StartupOptions.timestamp(Long.parseLong(m.substring("timestamp:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("startup mode '" + mode + "': expected timestamp:<epoch-ms>");
            }
        }
        throw new IllegalArgumentException("unknown startup mode '" + mode
                + "': expected initial, latest, earliest, snapshot or timestamp:<epoch-ms>");
    }

    /** Number of server ids in a range such as {@code 5400-5409}: the most CDC readers it allows. */
    public static int serverIdCount(String range) {
        Matcher m = SERVER_ID_RANGE.matcher(range == null ? "" : range.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("server-id '" + range + "': expected <id> or <first>-<last>");
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
        if (first < 1 || last > 4294967295L || last < first) {
            throw new IllegalArgumentException("server-id '" + range + "': expected 1 <= first <= last <= 4294967295");
        }
        return (int) Math.min(Integer.MAX_VALUE, last - first + 1);
    }

    /**
     * The binlog client's keep-alive interval (Debezium's {@code connect.keep.alive.interval.ms},
     * 60 s by default), fixed rather than a setting: it is how soon a dead binlog connection is
     * reconnected, and nobody should want that slower.
     *
     * <p>Why: when MySQL/MariaDB goes away (crash, restart, failover), the binlog client
     * (mysql-binlog-connector-java 0.27.2 in Flink CDC 3.5) sees the connection end and stops
     * reading, quietly: the job stays RUNNING. Only its keep-alive thread reconnects, and that
     * thread wakes every keep-alive interval and reconnects only if no binlog event (server
     * heartbeats included, which Flink CDC requests every 0.8 x the interval) came for longer than
     * the interval. With the default 60 s that is 60 to 120 s after the last event, and each failed
     * attempt waits 60 s more: about 100 s after a restart of 11 s, as issue 12 saw. At 5 s the
     * reader reconnects at most 5 s after the server is back (10 s after the last event if the server
     * was back at once), and the server sends a heartbeat every 4 s when there is nothing else.
     *
     * <p>The cost: the keep-alive thread also reconnects when the reader itself stops taking events
     * for 5 s (back-pressure from a slow sink fills Debezium's queue): it then reconnects at the
     * position of the last event taken once the queue drains, which the client supports (the
     * tables' mapping cache is kept); it costs a log line and a new connection.
     */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

    /** Builder with named options; {@link #build()} refuses an incomplete or inconsistent source. */
    public static final class Builder {
        private ShopMapping mapping;
        private String serverIdRange;
        private String startupMode = "initial";
        private String jobName;
        /**
         * Debezium's heartbeat: at most this often, after a binlog event or a server heartbeat, the
         * reader passes a heartbeat record that moves the checkpointed offset on through quiet
         * periods and tells {@link BinlogLag} that the reader is alive. 1 s, below the server's
         * heartbeat period (see {@link #KEEP_ALIVE}), so that each server heartbeat makes one.
         */
        private Duration heartbeat = Duration.ofSeconds(1);

        private int snapshotChunkSize = PaystreamOptions.MYSQL_SNAPSHOT_CHUNK_SIZE.defaultValue();

        private OrderNumbers orderNumbers = new OrderNumbers(Duration.ofHours(6), Duration.ofDays(30));
        private final Set<ShopTable> tables = EnumSet.noneOf(ShopTable.class);

        private Builder() {}

        /** When items or payments name their order by number: the wait for the order's row, the retention. */
        public Builder orderNumbers(OrderNumbers v) {
            this.orderNumbers = v;
            return this;
        }

        /** Where the logical tables live and how their rows read. */
        public Builder mapping(ShopMapping v) {
            this.mapping = v;
            return this;
        }

        /**
         * A range such as {@code 5400-5409}, distinct from every other replica of each server. The
         * source runs one binlog reader per server (the binlog phase of Flink CDC is single-reader
         * in any case), so one id is used; the range leaves room for a parallel snapshot.
         */
        public Builder serverIdRange(String v) {
            this.serverIdRange = v;
            return this;
        }

        /** {@code initial} (default), {@code latest}, {@code earliest} or {@code timestamp:<epoch-ms>}. */
        public Builder startupMode(String v) {
            this.startupMode = v;
            return this;
        }

        /** Named in dead letters, so an operator knows which job refused a row. */
        public Builder jobName(String v) {
            this.jobName = v;
            return this;
        }

        /** {@code mysql.snapshot-chunk-size}: rows per chunk of the initial snapshot. */
        public Builder snapshotChunkSize(int v) {
            this.snapshotChunkSize = v;
            return this;
        }

        /** Debezium's heartbeat (default 1 s): keeps the source's offset fresh through quiet periods. */
        public Builder heartbeat(Duration v) {
            this.heartbeat = v;
            return this;
        }

        /** The logical tables the job reads. */
        public Builder tables(ShopTable... v) {
            this.tables.addAll(List.of(v));
            return this;
        }

        public ShopCdcSource build() {
            List<String> problems = new ArrayList<>();
            if (mapping == null) problems.add("mapping is required");
            if (isBlank(jobName)) problems.add("jobName is required");
            if (tables.isEmpty()) problems.add("at least one table is required");
            if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero())
                problems.add("heartbeat must be positive");
            if (snapshotChunkSize < 1)
                problems.add("setting '" + PaystreamOptions.MYSQL_SNAPSHOT_CHUNK_SIZE.key()
                        + "' must be at least 1, got " + snapshotChunkSize);
            StartupOptions startup = null;
            try {
                startup = startupOptions(startupMode);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            try {
                serverIdCount(serverIdRange);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            if (mapping != null
                    && (mapping.byOrderNumber(ShopTable.ORDER_ITEMS) && tables.contains(ShopTable.ORDER_ITEMS)
                            || mapping.byOrderNumber(ShopTable.PAYMENTS) && tables.contains(ShopTable.PAYMENTS))) {
                tables.add(ShopTable.ORDERS); // the order rows tell which id each number means
            }
            Map<ServerMapping, List<TableMapping>> servers = mapping == null ? Map.of() : mapping.serversOf(tables);
            servers.keySet().forEach(s -> checkServer(s, problems));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("shop CDC source is misconfigured: " + String.join("; ", problems));
            }
            Map<ServerMapping, MySqlSource<ShopChange>> sources = new LinkedHashMap<>();
            for (Map.Entry<ServerMapping, List<TableMapping>> e : servers.entrySet()) {
                sources.put(e.getKey(), source(e.getKey(), e.getValue(), startup));
            }
            return new ShopCdcSource(sources, mapping, orderNumbers, jobName);
        }

        private static void checkServer(ServerMapping s, List<String> problems) {
            String name = "server '" + s.name + "': ";
            if (isBlank(s.hostname)) problems.add(name + "hostname is required");
            if (s.port < 1 || s.port > 65535) problems.add(name + "port " + s.port + " is not a TCP port");
            if (isBlank(s.username)) problems.add(name + "username is required");
            if (s.password() == null) {
                problems.add(name + "password is required (" + s.passwordSource
                        + (s.passwordSource.startsWith("setting ")
                                ? ", by environment: PAYSTREAM_MYSQL_PASSWORD)"
                                : ")"));
            }
        }

        private MySqlSource<ShopChange> source(
                ServerMapping server, List<TableMapping> tablesOfServer, StartupOptions startup) {
            Properties jdbc = new Properties();
            jdbc.setProperty("useSSL", "false");
            jdbc.setProperty("allowPublicKeyRetrieval", "true");
            // A TINYINT(1) status code must read as the number it is in the snapshot too, as the
            // binlog gives it (flink-cdc#2029): the driver would otherwise turn 2 into true.
            jdbc.setProperty("tinyInt1isBit", "false");
            Properties debezium = new Properties();
            // Exact decimals (BigDecimal), converted to minor units by the deserializer.
            debezium.setProperty("decimal.handling.mode", "precise");
            debezium.setProperty("bigint.unsigned.handling.mode", "long");
            debezium.setProperty("connect.keep.alive", "true");
            debezium.setProperty("connect.keep.alive.interval.ms", String.valueOf(KEEP_ALIVE.toMillis()));
            ShopChangeDeserializer deserializer = new ShopChangeDeserializer(tablesOfServer, jobName);
            MySqlSource<ShopChange> built = MySqlSource.<ShopChange>builder()
                    .hostname(server.hostname)
                    .port(server.port)
                    .databaseList(tablesOfServer.stream()
                            .map(TableMapping::databaseRegex)
                            .distinct()
                            .toArray(String[]::new))
                    .tableList(tablesOfServer.stream()
                            .map(TableMapping::tableRegex)
                            .toArray(String[]::new))
                    .username(server.username)
                    .password(server.password())
                    .serverId(serverIdRange)
                    .serverTimeZone(server.sessionTimeZone)
                    .startupOptions(startup)
                    .heartbeatInterval(heartbeat)
                    .jdbcProperties(jdbc)
                    .debeziumProperties(debezium)
                    .deserializer(deserializer)
                    .splitSize(snapshotChunkSize)
                    .build();
            // The same source, with the binlog lag gauge on its reader.
            String serverName = server.name;
            return BinlogLagMySqlSource.of(built, deserializer, () -> ShopChange.ofSnapshotEnded(serverName));
        }

        private static boolean isBlank(String s) {
            return s == null || s.isBlank();
        }
    }
}
