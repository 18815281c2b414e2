package io.paystream.sandbox;

import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.cdc.BinlogLag;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.reconcile.ReconciliationOptions;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import io.paystream.jobs.search.OrderIndex;
import io.paystream.jobs.search.OrderSearchOptions;
import io.paystream.jobs.stock.StockLedgerOptions;
import io.paystream.sandbox.bills.ChannelBook;
import io.paystream.sandbox.bills.SandboxBills;
import io.paystream.sandbox.cluster.JobStatusTable;
import io.paystream.sandbox.cluster.LocalFlinkCluster;
import io.paystream.sandbox.edges.ChannelEdges;
import io.paystream.sandbox.mapping.MappedShop;
import io.paystream.sandbox.traffic.ShopTraffic;
import io.paystream.sandbox.traffic.TrafficConfig;
import io.paystream.sandbox.traffic.TrafficStats;
import io.paystream.servers.LocalServers;
import io.paystream.servers.MariaDbServer;
import io.paystream.state.reconcile.BillCalendar;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.ConfigOption;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * The whole system on one machine: real MariaDB (binlog), Kafka, Elasticsearch and Redis; every
 * paystream job on a local Flink cluster with its web UI; and a simulated shop with payment
 * channels. Runs until Ctrl-C or {@code --duration}, and leaves no process behind.
 */
public final class Sandbox {
    private final SandboxArgs args;
    private final TrafficStats stats = new TrafficStats();
    private final Map<String, JobID> jobIds = new LinkedHashMap<>();
    private final Map<String, Settings> settingsByJob = new LinkedHashMap<>();
    /**
     * Job settings the sandbox runs with unless --set says otherwise: short enough to watch in a
     * sandbox run (the jobs' own defaults are production values).
     */
    private static final Map<String, String> SANDBOX_DEFAULTS = Map.of(
            "order.pay-timeout",
            "60s",
            "refunds.requery-schedule",
            "15s,30s,45s",
            // Bills come every bill day (a minute): look often; a payment whose notification
            // was lost reaches SUCCESS by query within a minute, so wait that long before a
            // discrepancy is published.
            "reconcile.bills.monitor-interval",
            "2s",
            "reconcile.shop-wait",
            "60s");

    private final CountDownLatch stopped = new CountDownLatch(1);
    private LocalServers servers;
    private LocalFlinkCluster flink;
    private ShopTraffic traffic;
    /** The callback gateway and the query worker between the channels and Kafka (with traffic only). */
    private ChannelEdges edges;
    /** The user's own schema and mapping (--mapping); null for the contract schema and its traffic. */
    private MappedShop mapped;
    /** The simulated channels' daily trade bills (with traffic only). */
    private SandboxBills bills;
    /** The bill days of the simulated channels and of the reconciliation job. */
    private BillCalendar calendar;

    private Path mappingAsRun;
    private volatile boolean shutDown;

    private Sandbox(SandboxArgs args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        SandboxArgs args;
        try {
            args = SandboxArgs.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Sandbox sandbox = new Sandbox(args);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::shutdown, "sandbox-shutdown"));
        int code = 0;
        try {
            sandbox.run();
        } catch (SandboxRefusal e) {
            System.err.println("sandbox: " + e.getMessage());
            code = 1;
        } catch (Exception e) {
            System.err.println("sandbox failed: " + e.getMessage());
            e.printStackTrace(System.err);
            code = 1;
        } finally {
            sandbox.shutdown();
        }
        System.exit(code);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        Path work = args.workDir.toAbsolutePath();
        wipe(work);
        Files.createDirectories(work);
        TrafficConfig trafficConfig = trafficConfig();
        Map<String, PaystreamJob<?, ?>> jobs = new LinkedHashMap<>();
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            jobs.put(job.name(), job);
        }
        checkOverrides(jobs.values());
        List<String> moreMariaDbs = List.of();
        if (args.mapping != null) {
            // The mapping's own problems are refused before any server starts.
            mapped = MappedShop.prepare(args.mapping, args.schemas, work, mysqlSettings("127.0.0.1", 3306, "?"));
            moreMariaDbs = mapped.moreMariaDbs();
        }

        say("starting MariaDB (binlog)"
                + (moreMariaDbs.isEmpty() ? "" : " and " + moreMariaDbs.size() + " more for " + moreMariaDbs)
                + ", Kafka (KRaft), Elasticsearch 7 and Redis ...");
        servers = LocalServers.start(
                work.resolve("servers"),
                LocalServers.spec()
                        .mysqlPort(3306)
                        .elasticsearchPort(9200)
                        .redisPort(6379)
                        .moreMariaDbs(moreMariaDbs));
        Map<String, String> topics = topics();
        Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.values().forEach(t -> partitions.put(t, 2));
        servers.kafka.createTopics(partitions);

        SimulatedChannels channels = SimulatedChannels.generate();
        Map<String, String> channelSettings = channels.publish(work.resolve("keys"));
        if (mapped != null) {
            mapped.createSchemas(servers, System.out);
            mappingAsRun = mapped.check(
                    servers,
                    mysqlSettings(servers.mariaDb.host(), servers.mariaDb.port(), servers.mariaDb.cdcPassword()),
                    System.out);
        } else {
            traffic = new ShopTraffic(
                    trafficConfig,
                    stats,
                    servers.mariaDb.jdbcUrl(),
                    MariaDbServer.SHOP_USER,
                    servers.mariaDb.shopPassword(),
                    servers.kafka.bootstrapServers(),
                    topics,
                    channels);
            traffic.seedCatalogue();
        }

        // The bill calendar starts before the jobs (the reconciliation job is configured with it);
        // the channels note what they decide from the start of the traffic on.
        calendar = new BillCalendar(java.time.Instant.now(), args.billDay);
        Files.createDirectories(work.resolve("bills"));
        say("starting Flink and " + jobs.size() + " paystream job(s) ...");
        flink = LocalFlinkCluster.start(args.flinkPort, Math.max(4, 3 * jobs.size()), work);
        for (PaystreamJob<?, ?> job : jobs.values()) {
            Settings settings = jobSettings(job, work, channelSettings);
            settingsByJob.put(job.name(), settings);
            if (settings.knownOptions().contains(OrderSearchOptions.INDEX)) {
                createIndexWithoutReplicas(settings.get(OrderSearchOptions.INDEX));
            }
            jobIds.put(job.name(), flink.submit(job, settings));
        }

        if (traffic != null && args.traffic) {
            // The channels notify over HTTP through the shop's callback gateway and answer the
            // query worker's queries over their query APIs, as real ones do.
            edges = ChannelEdges.start(
                    Path.of("").toAbsolutePath(), work, servers.kafka.bootstrapServers(), topics, channels, traffic);
            say("callback gateway (deploy/gateway, its own process) on " + edges.gatewayUrl()
                    + "; query worker (deploy/query-worker) asking the channels' query APIs");
        }
        if (traffic != null && args.traffic) {
            // Day 0 of the bill calendar starts now, with the traffic (started below, before any
            // payment): the channels note what they decide from here on.
            ChannelBook book = new ChannelBook(calendar);
            traffic.keepBillsIn(book);
            bills = SandboxBills.start(
                    work.resolve("bills"),
                    work.resolve("bill-discrepancies.json"),
                    args.billDelay,
                    trafficConfig.seed,
                    book,
                    traffic::shopPaymentStatus);
        }
        Map<String, String> endpoints = new LinkedHashMap<>(servers.endpoints());
        if (edges != null) {
            endpoints.put("gateway.url", edges.gatewayUrl().toString());
        }
        if (bills != null) {
            endpoints.put("reconcile.bills-dir", bills.directory().toString());
            endpoints.putAll(bills.calendar().settings());
            endpoints.put("reconcile.injected-file", bills.manifest().toString());
        }
        endpoints.put("flink.web-ui", flink.webUi().toString());
        endpoints.put("channel.keys-dir", work.resolve("keys").toString());
        topics.forEach((role, topic) -> endpoints.put("kafka.topic." + role, topic));
        if (mapped != null) {
            endpoints.putAll(mapped.endpoints(servers));
        }
        printEndpoints(endpoints);
        if (args.endpointsFile != null) {
            LocalServers.writeJson(args.endpointsFile, endpoints);
            say("endpoints written to " + args.endpointsFile.toAbsolutePath());
        }
        if (mapped != null) {
            say("no traffic: the jobs read your tables (" + args.mapping + "); insert rows as the shop user");
        } else if (args.traffic) {
            Settings ledger = settingsByJob.values().stream()
                    .filter(s -> s.knownOptions().contains(StockLedgerOptions.REDIS_KEY_PREFIX))
                    .findFirst()
                    .orElse(null);
            if (ledger != null) {
                // The shop's front end reads what the stock ledger publishes, as a real one would.
                traffic.checkAtFrontEnd(servers.redis.uri(), ledger.get(StockLedgerOptions.REDIS_KEY_PREFIX));
            }
            traffic.start();
            say(String.format(
                    "shop traffic: %.1f orders/s, seed %d, resend speed x%.0f",
                    trafficConfig.rate, trafficConfig.seed, trafficConfig.speed));
        } else {
            say("no traffic (--no-traffic): inject your own data");
        }
        say(String.format(
                "ready in %.1f s; Ctrl-C stops everything%s",
                (System.nanoTime() - started) / 1e9,
                args.durationSeconds > 0 ? " (or it stops by itself after " + args.durationSeconds + " s)" : ""));

        long startedAt = System.nanoTime();
        long deadline =
                args.durationSeconds > 0 ? startedAt + TimeUnit.SECONDS.toNanos(args.durationSeconds) : Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            long wait = Math.min(TimeUnit.SECONDS.toNanos(args.statusEverySeconds), deadline - System.nanoTime());
            if (stopped.await(Math.max(1, wait), TimeUnit.NANOSECONDS)) {
                return;
            }
            printStatus((System.nanoTime() - startedAt) / 1_000_000_000L, jobs);
        }
        say("duration reached, stopping");
    }

    private void printStatus(long elapsedSeconds, Map<String, PaystreamJob<?, ?>> jobs) {
        if (shutDown) {
            return;
        }
        try {
            System.out.println(status(elapsedSeconds, jobs));
        } catch (RuntimeException e) {
            // A status line is never worth stopping the sandbox for (a server may be shutting down).
            System.out.println(String.format("[%4ds] status unavailable: %s", elapsedSeconds, e));
        }
    }

    private String status(long elapsedSeconds, Map<String, PaystreamJob<?, ?>> jobs) {
        StringBuilder b = new StringBuilder();
        if (mapped != null) {
            b.append(String.format("[%4ds] mapping: %s", elapsedSeconds, args.mapping));
        } else {
            b.append(String.format("[%4ds] traffic: %s", elapsedSeconds, stats.line()));
            if (edges != null) {
                b.append(String.format("%n        %s", edges.counters()));
            }
            if (bills != null) {
                b.append(String.format("%n        %s", bills.statusLine()));
            }
        }
        for (PaystreamJob<?, ?> job : jobs.values()) {
            b.append(String.format("%n        %-18s %-9s", job.name(), flink.status(jobIds.get(job.name()))));
            for (String metric : JobStatusTable.metrics(job.name())) {
                b.append(' ').append(metric).append('=').append(JobMetrics.value(job.name(), metric));
            }
            b.append(" deadLetters=").append(JobMetrics.value(job.name(), "deadLetters"));
            // Every job: how far its binlog reader is behind the database (the worst of its servers),
            // so a stalled reader shows while it is stalled.
            b.append(' ').append(BinlogLag.METRIC).append('=').append(JobMetrics.max(job.name(), BinlogLag.METRIC));
            String extra = JobStatusTable.text(job.name(), settingsByJob.get(job.name()));
            if (!extra.isEmpty()) {
                b.append(String.format("%n        %-18s %s", "", extra));
            }
        }
        return b.toString();
    }

    private Settings jobSettings(PaystreamJob<?, ?> job, Path work, Map<String, String> channelSettings) {
        Set<String> known = new HashSet<>();
        for (ConfigOption<?> o : JobRunner.options(job)) {
            known.add(o.key());
        }
        Map<String, String> s = new LinkedHashMap<>();
        s.put(PaystreamOptions.MYSQL_HOSTNAME.key(), servers.mariaDb.host());
        s.put(PaystreamOptions.MYSQL_PORT.key(), String.valueOf(servers.mariaDb.port()));
        s.put(PaystreamOptions.MYSQL_USERNAME.key(), MariaDbServer.CDC_USER);
        s.put(PaystreamOptions.MYSQL_PASSWORD.key(), servers.mariaDb.cdcPassword());
        if (mappingAsRun != null) {
            s.put(PaystreamOptions.MYSQL_MAPPING.key(), mappingAsRun.toString());
        }
        s.put(PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS.key(), servers.kafka.bootstrapServers());
        s.put(PaystreamOptions.ELASTICSEARCH_HOSTS.key(), servers.elasticsearch.httpUrl());
        s.put(PaystreamOptions.REDIS_URI.key(), servers.redis.uri());
        s.put(
                PaystreamOptions.CHECKPOINT_DIR.key(),
                work.resolve("checkpoints").toUri().toString());
        s.put(PaystreamOptions.PARALLELISM.key(), "1");
        channelSettings.forEach((k, v) -> {
            if (known.contains(k)) {
                s.put(k, v);
            }
        });
        if (known.contains(ReconciliationOptions.BILLS_PATH.key())) {
            // The bills the simulated channels write (none without traffic: the job then waits).
            s.put(
                    ReconciliationOptions.BILLS_PATH.key(),
                    work.resolve("bills").toUri().toString());
            s.put(ReconciliationOptions.FIRST_DAY.key(), calendar.firstDate().toString());
            s.putAll(calendar.settings());
        }
        SANDBOX_DEFAULTS.forEach((k, v) -> {
            if (known.contains(k)) {
                s.put(k, v);
            }
        });
        args.settings.forEach((k, v) -> {
            if (known.contains(k)) {
                s.put(k, v);
            }
        });
        List<String> argv = new ArrayList<>();
        s.forEach((k, v) -> {
            argv.add("--" + k);
            argv.add(v);
        });
        return Settings.load(argv.toArray(new String[0]), Map.of(), JobRunner.options(job));
    }

    /**
     * Creates the order index as the job would (template and mapping from {@link OrderIndex}), then
     * with no replica: the sandbox's single Elasticsearch node can never place one, which left the
     * index yellow. Production keeps the template's (Elasticsearch's) one replica: the template is
     * not changed, and {@code auto_expand_replicas} in it would drop and rebuild replicas whenever a
     * node of a real cluster leaves and returns. The job finds the index and leaves its settings.
     */
    private void createIndexWithoutReplicas(String index) throws IOException {
        try (RestClient es = OrderIndex.client(servers.elasticsearch.httpUrl())) {
            OrderIndex.ensure(es, index);
            Request noReplica = new Request("PUT", "/" + index + "/_settings");
            noReplica.setJsonEntity("{\"index\":{\"number_of_replicas\":0}}");
            es.performRequest(noReplica);
        }
    }

    /** The mysql.* settings every job gets (and the mapping is checked with), --set ones included. */
    private Map<String, String> mysqlSettings(String host, int port, String password) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(PaystreamOptions.MYSQL_HOSTNAME.key(), host);
        s.put(PaystreamOptions.MYSQL_PORT.key(), String.valueOf(port));
        s.put(PaystreamOptions.MYSQL_USERNAME.key(), MariaDbServer.CDC_USER);
        s.put(PaystreamOptions.MYSQL_PASSWORD.key(), password);
        args.settings.forEach((k, v) -> {
            if (k.startsWith("mysql.")) {
                s.put(k, v);
            }
        });
        return s;
    }

    /** Fails fast on a --set key that no job and no traffic knob knows (a typo would pass silently). */
    private void checkOverrides(Iterable<PaystreamJob<?, ?>> jobs) {
        Set<String> known = new HashSet<>(PaystreamOptions.declaredIn(PaystreamOptions.class).stream()
                .map(ConfigOption::key)
                .toList());
        for (PaystreamJob<?, ?> job : jobs) {
            job.options().forEach(o -> known.add(o.key()));
        }
        for (String key : args.settings.keySet()) {
            if (!key.startsWith("traffic.") && !known.contains(key)) {
                throw new IllegalArgumentException(
                        "--set " + key + ": no job has this setting (see README, Configuration)");
            }
        }
    }

    private TrafficConfig trafficConfig() throws IllegalAccessException {
        TrafficConfig c = new TrafficConfig();
        if (args.rate != null) c.rate = args.rate;
        if (args.seed != null) c.seed = args.seed;
        if (args.speed != null) c.speed = args.speed;
        for (Map.Entry<String, String> e : args.settings.entrySet()) {
            if (e.getKey().startsWith("traffic.")) {
                String name = e.getKey().substring("traffic.".length());
                Field f;
                try {
                    f = TrafficConfig.class.getField(name);
                } catch (NoSuchFieldException ex) {
                    throw new IllegalArgumentException("--set " + e.getKey() + ": no such traffic knob");
                }
                if (f.getType() == double.class) {
                    f.setDouble(c, Double.parseDouble(e.getValue()));
                } else if (f.getType() == int.class) {
                    f.setInt(c, Integer.parseInt(e.getValue()));
                } else if (f.getType() == long.class) {
                    f.setLong(c, Long.parseLong(e.getValue()));
                } else if (f.getType() == Duration.class) {
                    f.set(c, Duration.parse(e.getValue()));
                }
            }
        }
        return c;
    }

    /** The contract's topic names by role (callbacks, query-results, results, ...), as the shop uses them. */
    public static Map<String, String> topics() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("callbacks", PaystreamOptions.TOPIC_CALLBACKS.defaultValue());
        t.put("query-results", PaystreamOptions.TOPIC_QUERY_RESULTS.defaultValue());
        t.put("results", PaystreamOptions.TOPIC_RESULTS.defaultValue());
        t.put("requery", PaystreamOptions.TOPIC_REQUERY.defaultValue());
        t.put("alerts", PaystreamOptions.TOPIC_ALERTS.defaultValue());
        t.put("order-commands", PaystreamOptions.TOPIC_ORDER_COMMANDS.defaultValue());
        t.put("dlq", PaystreamOptions.TOPIC_DLQ.defaultValue());
        t.put("refund-results", PaystreamOptions.TOPIC_REFUND_RESULTS.defaultValue());
        t.put("refund-requery", PaystreamOptions.TOPIC_REFUND_REQUERY.defaultValue());
        t.put("reconciliation", PaystreamOptions.TOPIC_RECONCILIATION.defaultValue());
        return t;
    }

    private void printEndpoints(Map<String, String> endpoints) {
        System.out.println();
        System.out.println("  paystream sandbox is up:");
        System.out.println("    Flink web UI     " + endpoints.get("flink.web-ui"));
        System.out.println("    MySQL (JDBC)     " + endpoints.get("mysql.jdbc-url"));
        System.out.println("      shop user      " + endpoints.get("mysql.shop-username") + " / "
                + endpoints.get("mysql.shop-password"));
        System.out.println("      CDC user       " + endpoints.get("mysql.cdc-username") + " / "
                + endpoints.get("mysql.cdc-password"));
        for (Map.Entry<String, String> e : endpoints.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("mysql.server.") && k.endsWith(".hostname")) {
                String server = k.substring("mysql.server.".length(), k.length() - ".hostname".length());
                System.out.println("      server " + server + ": " + e.getValue() + ":"
                        + endpoints.get("mysql.server." + server + ".port"));
            }
        }
        if (endpoints.containsKey("mysql.mapping")) {
            System.out.println("      mapping        " + endpoints.get("mysql.mapping"));
            if (!endpoints.get("mysql.mapping").equals(endpoints.get("mysql.mapping-as-run"))) {
                System.out.println("        as run       " + endpoints.get("mysql.mapping-as-run"));
            }
        }
        System.out.println("    Kafka bootstrap  " + endpoints.get("kafka.bootstrap-servers"));
        System.out.println("    Elasticsearch    " + endpoints.get("elasticsearch.url"));
        System.out.println("    Redis            " + endpoints.get("redis.uri"));
        System.out.println("    channel keys     " + endpoints.get("channel.keys-dir"));
        if (endpoints.containsKey("reconcile.bills-dir")) {
            System.out.println("    channel bills    " + endpoints.get("reconcile.bills-dir") + " (WECHAT_<date>.csv,"
                    + " ALIPAY_<date>.zip; day 0 from " + endpoints.get(BillCalendar.FIRST_DAY_START) + ", a day "
                    + endpoints.get(BillCalendar.DAY_LENGTH) + ")");
            System.out.println("      injected       " + endpoints.get("reconcile.injected-file"));
        }
        if (endpoints.containsKey("gateway.url")) {
            System.out.println(
                    "    callback gateway " + endpoints.get("gateway.url") + " (POST /notify/wechat/pay, ...)");
        }
        System.out.println();
    }

    private static void say(String s) {
        System.out.println("sandbox: " + s);
    }

    private synchronized void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        stopped.countDown();
        say("stopping ...");
        // Each part stops even if another failed to: nothing may be left running.
        for (AutoCloseable part : new AutoCloseable[] {bills, traffic, edges, flink, servers}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println("sandbox: stopping " + part.getClass().getSimpleName() + " failed: " + e);
                }
            }
        }
        say("stopped");
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
