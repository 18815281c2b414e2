package io.paystream.soak;

import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.reconcile.ReconciliationJob;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import io.paystream.sandbox.traffic.ShopTraffic;
import io.paystream.sandbox.traffic.TrafficConfig;
import io.paystream.sandbox.traffic.TrafficStats;
import io.paystream.servers.LocalServers;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.RedisServer;
import io.paystream.servers.process.ElasticsearchProcess;
import io.paystream.servers.process.KafkaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;

/**
 * Everything the soak runs, each server as its own process: MariaDB (mysqld), Kafka and
 * Elasticsearch (JVMs of their own), Redis (redis-server), the Flink session cluster of {@code
 * deploy/cluster} (JobManager, two TaskManagers, one of them a standby, and ZooKeeper with HA),
 * every paystream job on it, and
 * the sandbox's simulated shop and channels as traffic.
 */
final class SoakSystem implements AutoCloseable {
    /**
     * The jobs' deadlines, shortened so that everything a run starts has ended a minute after it;
     * and restart.reset-after, shortened for the same reason: the soak fails the jobs every half
     * minute where production sees incidents hours apart. With the default (10 min) every
     * TaskManager kill of a run counts as one more restart in a row, so the delay doubles to a
     * minute by the sixth and the eleventh fails the job for good; a job that ran 10 s (five
     * checkpoint intervals) after its restart has recovered, and its next incident is a fresh one,
     * as in production.
     */
    static final Map<String, String> SOAK_SETTINGS = Map.of(
            "requery.schedule", "5s,10s,15s",
            "requery.answer-timeout", "10s",
            "internal.timeout", "10s",
            "internal.schedule", "10s",
            "internal.give-up-after", "10s",
            "order.pay-timeout", "30s",
            "restart.reset-after", "10s");

    static final Map<String, String> TOPICS = io.paystream.sandbox.Sandbox.topics();

    final Path work;
    final MariaDbServer mariaDb;
    final RedisServer redis;
    final KafkaProcess kafka;
    final ElasticsearchProcess elasticsearch;
    final FlinkSessionCluster flink;
    final TrafficStats stats;
    final ShopTraffic traffic;
    final boolean ha;
    /** The callback gateway and the query worker; null with {@code --no-edges}. */
    private io.paystream.sandbox.edges.ChannelEdges edges;

    private final Map<String, Path> settingsFiles = new LinkedHashMap<>();
    /** Each job's current parallelism (a rescale changes it). */
    final Map<String, Integer> parallelism = new java.util.concurrent.ConcurrentHashMap<>();

    private SoakSystem(
            Path work,
            MariaDbServer mariaDb,
            RedisServer redis,
            KafkaProcess kafka,
            ElasticsearchProcess elasticsearch,
            FlinkSessionCluster flink,
            ShopTraffic traffic,
            TrafficStats stats,
            boolean ha) {
        this.work = work;
        this.mariaDb = mariaDb;
        this.redis = redis;
        this.kafka = kafka;
        this.elasticsearch = elasticsearch;
        this.flink = flink;
        this.traffic = traffic;
        this.stats = stats;
        this.ha = ha;
    }

    /** Starts the servers and the cluster, and submits every job; traffic is ready but not started. */
    static SoakSystem start(Path root, Path work, TrafficConfig trafficConfig, boolean ha, boolean throughEdges)
            throws Exception {
        MariaDbServer mariaDb = null;
        RedisServer redis = null;
        KafkaProcess kafka = null;
        ElasticsearchProcess es = null;
        FlinkSessionCluster flink = null;
        io.paystream.sandbox.edges.ChannelEdges edges = null;
        try {
            mariaDb = MariaDbServer.start(
                    work.resolve("mariadb"), 0, LocalServers.randomSecret(), LocalServers.randomSecret());
            redis = RedisServer.start(0);
            kafka = KafkaProcess.start(work.resolve("kafka"), 0);
            Map<String, Integer> partitions = new LinkedHashMap<>();
            TOPICS.values().forEach(t -> partitions.put(t, 2));
            kafka.createTopics(partitions);
            es = ElasticsearchProcess.start(work.resolve("elasticsearch"), 0);
            SimulatedChannels channels = SimulatedChannels.generate();
            Map<String, String> channelSettings = channels.publish(work.resolve("keys"));
            TrafficStats stats = new TrafficStats();
            ShopTraffic traffic = new ShopTraffic(
                    trafficConfig,
                    stats,
                    mariaDb.jdbcUrl(),
                    MariaDbServer.SHOP_USER,
                    mariaDb.shopPassword(),
                    kafka.bootstrapServers(),
                    TOPICS,
                    channels);
            traffic.seedCatalogue();
            if (throughEdges) {
                // As a shop deploys it: the channels POST to the callback gateway (its own process,
                // killed with Kafka's faults' consequences in flight) and the query worker asks them.
                edges = io.paystream.sandbox.edges.ChannelEdges.start(
                        root, work, kafka.bootstrapServers(), TOPICS, channels, traffic);
            }
            flink = new FlinkSessionCluster(root, work.resolve("cluster"));
            flink.start(ha);
            SoakSystem system = new SoakSystem(work, mariaDb, redis, kafka, es, flink, traffic, stats, ha);
            system.edges = edges;
            system.writeSettings(channelSettings);
            // Side by side: each submission runs Flink's client in a JVM of its own (the job's main,
            // then the upload of the job jar), which takes most of a soak's start on two cores.
            List<java.util.concurrent.CompletableFuture<String>> submissions = system.jobNames().stream()
                    .map(job -> java.util.concurrent.CompletableFuture.supplyAsync(() -> system.submit(job, null, 1)))
                    .toList();
            submissions.forEach(java.util.concurrent.CompletableFuture::join);
            return system;
        } catch (Exception | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {edges, flink, es, kafka, redis, mariaDb}) {
                closeQuietly(c);
            }
            throw e;
        }
    }

    String submit(String job, String savepoint, int parallelism) {
        this.parallelism.put(job, parallelism);
        return flink.submit(job, settingsFiles.get(job), savepoint, parallelism);
    }

    /** One settings file per job (key: value lines, owner-only: it holds secrets), as a user keeps them. */
    private void writeSettings(Map<String, String> channelSettings) throws IOException {
        Path dir = Files.createDirectories(work.resolve("settings"));
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            if (job.name().equals(ReconciliationJob.NAME)) {
                // Not under the soak yet: its checks need the channels' bills of the soak's traffic
                // and a record-by-record check of payment.reconciliation (open, issue 17's note);
                // ReconciliationIT fails and restarts it under bills and rows.
                continue;
            }
            Set<String> known = new HashSet<>();
            for (ConfigOption<?> o : JobRunner.options(job)) {
                known.add(o.key());
            }
            Map<String, String> s = new LinkedHashMap<>();
            s.put(PaystreamOptions.MYSQL_HOSTNAME.key(), mariaDb.host());
            s.put(PaystreamOptions.MYSQL_PORT.key(), String.valueOf(mariaDb.port()));
            s.put(PaystreamOptions.MYSQL_USERNAME.key(), MariaDbServer.CDC_USER);
            s.put(PaystreamOptions.MYSQL_PASSWORD.key(), mariaDb.cdcPassword());
            s.put(PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
            s.put(PaystreamOptions.ELASTICSEARCH_HOSTS.key(), elasticsearch.httpUrl());
            s.put(PaystreamOptions.REDIS_URI.key(), redis.uri());
            s.putAll(channelSettings);
            s.putAll(SOAK_SETTINGS);
            s.keySet().retainAll(known);
            Path file = dir.resolve(job.name() + ".conf");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    file,
                    s.entrySet().stream()
                            .map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining("\n", "", "\n")));
            settingsFiles.put(job.name(), file);
        }
    }

    List<String> jobNames() {
        return List.copyOf(settingsFiles.keySet());
    }

    /** The traffic's counters, and the gateway's and the query worker's when they run. */
    String trafficLine() {
        return stats.line() + (edges == null ? "" : " | " + edges.counters());
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("soak: stopping " + c.getClass().getSimpleName() + " failed: " + e);
        }
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Each part stops even if another failed to: nothing may be left running. The traffic and
        // the edges first (they write to Kafka); then the cluster and the servers side by side
        // (each mostly waits for its processes to exit), every one of them waited for.
        closeQuietly(traffic);
        closeQuietly(edges);
        List<Thread> stopping = new java.util.ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {flink, elasticsearch, kafka, redis, mariaDb}) {
            Thread t = new Thread(
                    () -> closeQuietly(c),
                    "soak-stop-" + (c == null ? "-" : c.getClass().getSimpleName()));
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: nothing may be left running
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
