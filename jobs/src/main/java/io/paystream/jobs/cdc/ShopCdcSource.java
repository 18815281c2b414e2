package io.paystream.jobs.cdc;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;

/**
 * The one CDC source every paystream job reads the shop tables through: Flink CDC's
 * {@link MySqlSource} (snapshot, then binlog, exactly-once through checkpoints) emitting typed
 * {@link ShopChange}s. Options are named and validated when {@link Builder#build()} is called.
 *
 * <pre>{@code
 * MySqlSource<ShopChange> source = ShopCdcSource.builder()
 *     .hostname("db.internal").port(3306).database("shop")
 *     .username("paystream").password(System.getenv("PAYSTREAM_MYSQL_PASSWORD"))
 *     .tables(ShopTable.PAYMENTS, ShopTable.ORDERS)
 *     .serverIdRange("5400-5409")
 *     .jobName("payment-timeouts")
 *     .build();
 * }</pre>
 */
public final class ShopCdcSource {
    private static final Pattern SERVER_ID_RANGE = Pattern.compile("^(\\d+)(?:-(\\d+))?$");

    private ShopCdcSource() {}

    public static Builder builder() {
        return new Builder();
    }

    /** A builder filled from the job's settings; the job adds its tables and may still override. */
    public static Builder fromSettings(Settings settings, String jobName, String defaultServerIdRange) {
        return builder()
                .hostname(settings.get(PaystreamOptions.MYSQL_HOSTNAME))
                .port(settings.get(PaystreamOptions.MYSQL_PORT))
                .database(settings.get(PaystreamOptions.MYSQL_DATABASE))
                .username(settings.get(PaystreamOptions.MYSQL_USERNAME))
                .password(settings.required(PaystreamOptions.MYSQL_PASSWORD))
                .serverTimeZone(settings.get(PaystreamOptions.MYSQL_SERVER_TIME_ZONE))
                .startupMode(settings.get(PaystreamOptions.MYSQL_STARTUP_MODE))
                .serverIdRange(
                        settings.isSet(PaystreamOptions.MYSQL_SERVER_ID)
                                ? settings.get(PaystreamOptions.MYSQL_SERVER_ID)
                                : defaultServerIdRange)
                .jobName(jobName);
    }

    /** Parses {@code initial}, {@code latest}, {@code earliest} or {@code timestamp:<epoch-ms>}. */
    public static StartupOptions startupOptions(String mode) {
        String m = mode == null ? "" : mode.strip().toLowerCase();
        if (m.equals("initial")) return StartupOptions.initial();
        if (m.equals("latest")) return StartupOptions.latest();
        if (m.equals("earliest")) return StartupOptions.earliest();
        if (m.startsWith("timestamp:")) {
            try {
                return StartupOptions.timestamp(Long.parseLong(m.substring("timestamp:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("startup mode '" + mode + "': expected timestamp:<epoch-ms>");
            }
        }
        throw new IllegalArgumentException(
                "unknown startup mode '" + mode + "': expected initial, latest, earliest or timestamp:<epoch-ms>");
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

    /** Builder with named options; {@link #build()} refuses an incomplete or inconsistent source. */
    public static final class Builder {
        private String hostname;
        private int port = 3306;
        private String database = "shop";
        private String username;
        private String password;
        private String serverIdRange;
        private String serverTimeZone = "UTC";
        private String startupMode = "initial";
        private String jobName;
        private Duration heartbeat = Duration.ofSeconds(10);
        private int parallelism = 1;
        private final Set<ShopTable> tables = EnumSet.noneOf(ShopTable.class);

        private Builder() {}

        public Builder hostname(String v) {
            this.hostname = v;
            return this;
        }

        public Builder port(int v) {
            this.port = v;
            return this;
        }

        public Builder database(String v) {
            this.database = v;
            return this;
        }

        public Builder username(String v) {
            this.username = v;
            return this;
        }

        public Builder password(String v) {
            this.password = v;
            return this;
        }
        /** A range such as {@code 5400-5409}: one id per parallel reader, distinct from every other replica. */
        public Builder serverIdRange(String v) {
            this.serverIdRange = v;
            return this;
        }

        public Builder serverTimeZone(String v) {
            this.serverTimeZone = v;
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
        /** Binlog heartbeat: keeps the source's offset fresh through quiet periods. */
        public Builder heartbeat(Duration v) {
            this.heartbeat = v;
            return this;
        }
        /** The parallelism the source will run at: checked against the server-id range. */
        public Builder parallelism(int v) {
            this.parallelism = v;
            return this;
        }

        public Builder tables(ShopTable... v) {
            this.tables.addAll(List.of(v));
            return this;
        }

        public MySqlSource<ShopChange> build() {
            List<String> problems = new ArrayList<>();
            if (isBlank(hostname)) problems.add("hostname is required");
            if (port < 1 || port > 65535) problems.add("port " + port + " is not a TCP port");
            if (isBlank(database)) problems.add("database is required");
            if (isBlank(username)) problems.add("username is required");
            if (password == null) problems.add("password is required (PAYSTREAM_MYSQL_PASSWORD)");
            if (isBlank(jobName)) problems.add("jobName is required");
            if (tables.isEmpty()) problems.add("at least one table is required");
            if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero())
                problems.add("heartbeat must be positive");
            StartupOptions startup = null;
            try {
                startup = startupOptions(startupMode);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            try {
                int ids = serverIdCount(serverIdRange);
                if (ids < parallelism) {
                    problems.add(
                            "server-id range " + serverIdRange + " has " + ids + " ids for parallelism " + parallelism);
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("shop CDC source is misconfigured: " + String.join("; ", problems));
            }
            String[] tableList =
                    tables.stream().map(t -> database + "." + t.tableName()).toArray(String[]::new);

            Properties jdbc = new Properties();
            jdbc.setProperty("useSSL", "false");
            jdbc.setProperty("allowPublicKeyRetrieval", "true");
            Properties debezium = new Properties();
            // Exact decimals (BigDecimal), converted to minor units by the deserializer.
            debezium.setProperty("decimal.handling.mode", "precise");
            debezium.setProperty("bigint.unsigned.handling.mode", "long");

            return MySqlSource.<ShopChange>builder()
                    .hostname(hostname)
                    .port(port)
                    .databaseList(database)
                    .tableList(tableList)
                    .username(username)
                    .password(password)
                    .serverId(serverIdRange)
                    .serverTimeZone(serverTimeZone)
                    .startupOptions(startup)
                    .heartbeatInterval(heartbeat)
                    .jdbcProperties(jdbc)
                    .debeziumProperties(debezium)
                    .deserializer(new ShopChangeDeserializer(database, jobName))
                    .build();
        }

        private static boolean isBlank(String s) {
            return s == null || s.isBlank();
        }
    }
}
