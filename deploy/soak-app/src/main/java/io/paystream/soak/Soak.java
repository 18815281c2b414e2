package io.paystream.soak;

import io.paystream.jobs.stock.StockLedgerOptions;
import io.paystream.sandbox.traffic.TrafficConfig;
import io.paystream.soak.check.OutputChecks;
import io.paystream.soak.check.StoreChecks;
import io.paystream.soak.check.TopicContents;
import io.paystream.soak.check.Violations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * The fault soak: the whole system under traffic through every kind of failure, then every
 * record checked against the channels' ground truth and MySQL. Exit status 0 only without
 * violations. See the README's "Fault soak" section.
 */
public final class Soak {
    /** How long a fault may take to recover before it counts as a violation. */
    static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(4);
    /**
     * How long after the last order everything started has ended: the shortened re-query schedule
     * and answer time (25 s), re-notifies (30 s), unpaid-order expiry (30 s), closing (25 s).
     */
    static final Duration SETTLE_TIME = Duration.ofSeconds(75);
    /**
     * The longest of what {@link #SETTLE_TIME} lets end, counted from the last thing that started
     * it: the unpaid-order expiry (30 s after the order) and re-notifies (30 s); the re-query
     * schedule with its answer time and the closing (25 s). The drain ends early only once no
     * order was created and no payment or refund row changed for this long, and every record is
     * accounted for.
     */
    static final Duration QUIET_TIME = Duration.ofSeconds(30);

    private final SoakArgs args;
    private final Path root;

    Soak(SoakArgs args, Path root) {
        this.args = args;
        this.root = root;
    }

    public static void main(String[] argv) {
        SoakArgs args;
        try {
            args = SoakArgs.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path root = Path.of(System.getProperty("paystream.root", ".")).toAbsolutePath();
        int code;
        try {
            code = new Soak(args, root).run().violations() == 0 ? 0 : 1;
        } catch (Exception e) {
            System.err.println("soak failed: " + e);
            e.printStackTrace(System.err);
            code = 2;
        }
        System.exit(code);
    }

    /** Runs the soak and prints its table; the result says what was found. */
    SoakResult run() throws Exception {
        Path work = args.workDir.toAbsolutePath();
        wipe(work);
        Files.createDirectories(work);
        TrafficConfig traffic = new TrafficConfig();
        traffic.rate = args.rate;
        traffic.seed = args.seed;
        say("starting MariaDB, Redis, Kafka, Elasticsearch (each its own process), the Flink session cluster"
                + (args.ha ? " with ZooKeeper HA" : "") + (args.edges ? ", the callback gateway, the query worker" : "")
                + " and every job; files in " + work);
        long t0 = System.currentTimeMillis();
        try (SoakSystem system = SoakSystem.start(root, work, traffic, args.ha, args.edges)) {
            // Ctrl-C or a kill stops every server and the cluster too: nothing is left running.
            Thread stopper = new Thread(system::close, "soak-shutdown");
            Runtime.getRuntime().addShutdownHook(stopper);
            say(String.format(
                    "up in %.0f s; Flink web UI %s; traffic %.1f orders/s, seed %d",
                    (System.currentTimeMillis() - t0) / 1000.0, system.flink.webUi(), args.rate, args.seed));
            RecoveryProbe probe = new RecoveryProbe(system);
            Fault ready = probe.await(
                    new Fault(FaultKind.GARBAGE, t0, System.currentTimeMillis(), -1, "start"), RECOVERY_TIMEOUT);
            if (ready.recoveredAt() < 0) {
                throw new IllegalStateException("the jobs did not start producing within " + RECOVERY_TIMEOUT);
            }
            system.traffic.start();
            FaultInjector injector = new FaultInjector(system, probe, args.seed, args.faults, args.shortOutages);
            List<Fault> faults = injectFaults(system, injector, probe);
            say("faults done; stopping the shoppers and letting everything started end (at most "
                    + SETTLE_TIME.toSeconds() + " s) ...");
            system.traffic.stopShoppers();
            long stopped = System.currentTimeMillis();
            String why = settle(system, injector, stopped);
            say(String.format(
                    "%s %.1f s after the shoppers stopped", why, (System.currentTimeMillis() - stopped) / 1000.0));
            Fault drained = probe.await(
                    new Fault(FaultKind.GARBAGE, System.currentTimeMillis(), System.currentTimeMillis(), -1, "drain"),
                    RECOVERY_TIMEOUT);
            Violations violations = new Violations();
            if (drained.recoveredAt() < 0) {
                violations.add("jobs did not catch up after the traffic stopped", RECOVERY_TIMEOUT.toString());
            }
            long checked = check(system, injector, violations);
            SoakResult result = new SoakResult(faults, checked, violations);
            System.out.println(new SoakReport(result, system.trafficLine()).render());
            return result;
        }
    }

    private List<Fault> injectFaults(SoakSystem system, FaultInjector injector, RecoveryProbe probe) throws Exception {
        List<Fault> faults = new ArrayList<>();
        long end = System.currentTimeMillis() + args.durationSeconds * 1000;
        for (int i = 0; i < args.faults.size() || System.currentTimeMillis() < end; i++) {
            FaultKind kind = injector.next(i);
            say(String.format("fault %d: %s ...", i + 1, kind.label));
            Fault f = probe.await(injector.inject(kind), RECOVERY_TIMEOUT);
            faults.add(f);
            say(String.format(
                    "fault %d: %s; %s | %s",
                    i + 1,
                    f.detail(),
                    f.recoveredAt() < 0
                            ? "NOT recovered within " + RECOVERY_TIMEOUT.toSeconds() + " s"
                            : String.format(
                                    "outputs flowing %.1f s after it was back, %s after the fault",
                                    f.recoveryMs() / 1000.0,
                                    f.fromFailureMs() < 0
                                            ? "not"
                                            : String.format("%.1f s", f.fromFailureMs() / 1000.0)),
                    system.trafficLine()));
            FaultInjector.sleep(injector.pauseMs());
        }
        return faults;
    }

    /**
     * Waits until everything the traffic started has ended: at the latest {@link #SETTLE_TIME}
     * after the shoppers stopped (the fixed wait this replaces), earlier once the shop's tables
     * have been quiet for {@link #QUIET_TIME} (no order created, no payment or refund row
     * changed: every deadline those started has passed) and the checks find every record
     * accounted for. The checks then run again, after the probe, as before.
     */
    private String settle(SoakSystem system, FaultInjector injector, long stopped) {
        long latest = stopped + SETTLE_TIME.toMillis();
        while (true) {
            long now = System.currentTimeMillis();
            if (now >= latest) {
                return "the settle time has passed";
            }
            long quietAt;
            try {
                quietAt = lastShopChange(system) + QUIET_TIME.toMillis();
            } catch (Exception e) {
                quietAt = latest; // MySQL does not answer: no early end
            }
            if (now >= quietAt) {
                Violations found = new Violations();
                try {
                    check(system, injector, found, false);
                    if (found.total() == 0) {
                        return "shop quiet for " + QUIET_TIME.toSeconds() + " s, every record accounted for";
                    }
                } catch (Exception e) {
                    // not yet readable: keep waiting
                }
                quietAt = now + 2000;
            }
            FaultInjector.sleep(Math.max(200, Math.min(quietAt, latest) - System.currentTimeMillis()));
        }
    }

    /** When an order was last created or a payment or refund row last changed, in MySQL's clock (this machine's). */
    private static long lastShopChange(SoakSystem system) throws Exception {
        try (Connection shop = system.mariaDb.shopConnection();
                java.sql.Statement s = shop.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT ROUND(1000 * UNIX_TIMESTAMP(MAX(created_at))) FROM orders"
                        + " UNION ALL SELECT ROUND(1000 * UNIX_TIMESTAMP(MAX(updated_at))) FROM payments"
                        + " UNION ALL SELECT ROUND(1000 * UNIX_TIMESTAMP(MAX(updated_at))) FROM refunds")) {
            long last = 0;
            while (r.next()) {
                last = Math.max(last, r.getLong(1)); // NULL (no row): 0
            }
            return last;
        }
    }

    private long check(SoakSystem system, FaultInjector injector, Violations violations) throws Exception {
        return check(system, injector, violations, true);
    }

    private long check(SoakSystem system, FaultInjector injector, Violations violations, boolean announce)
            throws Exception {
        if (announce) {
            say("checking every record ...");
        }
        String bootstrap = system.kafka.bootstrapServers();
        Map<String, String> topics = SoakSystem.TOPICS;
        List<TopicContents.Message> results = TopicContents.read(bootstrap, topics.get("results"));
        List<TopicContents.Message> requery = TopicContents.read(bootstrap, topics.get("requery"));
        List<TopicContents.Message> commands = TopicContents.read(bootstrap, topics.get("order-commands"));
        List<TopicContents.Message> alerts = TopicContents.read(bootstrap, topics.get("alerts"));
        List<TopicContents.Message> dlq = TopicContents.read(bootstrap, topics.get("dlq"));
        OutputChecks outputs = new OutputChecks(violations);
        outputs.results(system.traffic.channelTruths(), results, requery, alerts);
        outputs.uniqueIds("payment.requery", requery, "commandId");
        outputs.uniqueIds("order.commands", commands, "commandId");
        outputs.uniqueIds("payment.alerts", alerts, "alertId");
        outputs.garbageDeadLettered(injector.garbageSent, dlq);
        StoreChecks stores = new StoreChecks(violations);
        try (Connection shop = system.mariaDb.shopConnection();
                Jedis redis = new Jedis(URI.create(system.redis.uri()))) {
            stores.stock(shop, redis);
            stores.submitKeys(shop, redis, StockLedgerOptions.DEDUP_WINDOW.defaultValue());
            stores.index(shop, system.elasticsearch.httpUrl());
            stores.paidOrders(shop, alerts);
        }
        Map<String, FlinkSessionCluster.JobState> jobs = system.flink.jobs();
        for (String name : system.jobNames()) {
            FlinkSessionCluster.JobState j = jobs.get("paystream " + name);
            if (j == null || !j.fullyRunning()) {
                violations.add("a job is not RUNNING at the end", name + ": " + j);
            }
        }
        return outputs.checked() + stores.checked();
    }

    static void say(String s) {
        System.out.println(java.time.LocalTime.now().withNano(0) + " soak: " + s);
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
