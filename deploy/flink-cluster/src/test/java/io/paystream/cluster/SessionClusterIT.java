package io.paystream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.testing.EsIndex;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The operator's path on a real Flink session cluster: {@code deploy/cluster start --ha} starts a
 * ZooKeeper server, a JobManager and a TaskManager as separate processes from Maven artifacts;
 * Flink's own CLI submits the job jar's three jobs; data flows; every job is stopped with a
 * savepoint while traffic goes on, then resumed from its savepoint. Afterwards every exactly-once
 * output holds each fact once, the index and the stock counts equal what MySQL says, the business
 * counters are exported by Flink's Prometheus reporter. Then the JobManager and the TaskManager are
 * each killed with SIGKILL and started again ({@code start-jobmanager}, {@code start-taskmanager}):
 * the same jobs run again, restored from their latest checkpoint, and a payment settled afterwards
 * is published once, with no earlier outcome repeated. Stopping the cluster leaves no process
 * behind. (One cluster, one job set for all of it: the whole build must stay short.)
 */
class SessionClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> JOBS = List.of("payments", "stock-ledger", "order-search");
    private static final List<String> TOPICS = List.of(
            "payment.callbacks",
            "payment.query-results",
            "payment.results",
            "payment.requery",
            "payment.alerts",
            "order.commands",
            "paystream.dlq");
    /** A setting in the submission's Flink configuration (the default schedule has three attempts). */
    private static final String SCHEDULE = "paystream.requery.schedule=4s,8s";

    private static final String INDEX = "orders-cluster"; // the template applies to orders-*

    private static ClusterScript cluster;
    private static int restPort;
    private static int prometheusPort;
    private static int zookeeperPort;

    @BeforeAll
    static void startCluster() throws Exception {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        Path work = ScratchDirectories.create("session-cluster-it");
        cluster = new ClusterScript(root, work.resolve("cluster"));
        restPort = freePort();
        prometheusPort = twoFreePorts(); // the JobManager's, and the TaskManager's on the next one
        zookeeperPort = freePort();

        String started = cluster.run(
                "start",
                "--port",
                String.valueOf(restPort),
                "--slots",
                "4",
                "--taskmanager-memory",
                "2g",
                "--prometheus-port",
                String.valueOf(prometheusPort),
                "--ha",
                "--zookeeper-port",
                String.valueOf(zookeeperPort));
        assertThat(started)
                .contains("cluster: running")
                .contains("high availability on ZooKeeper localhost:" + zookeeperPort);
        progress("cluster started");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null && Files.exists(cluster.dir().resolve("jobmanager.pid"))) {
            cluster.run("stop");
        }
    }

    @Test
    void everyJobSurvivesSavepointsAndKilledProcessesWithoutLossOrDuplicates() throws Exception {
        long jobManagerPid = cluster.pid("jobmanager");
        long taskManagerPid = cluster.pid("taskmanager");
        assertThat(ProcessHandle.of(jobManagerPid))
                .as("JobManager is its own process")
                .isPresent();
        assertThat(ProcessHandle.of(taskManagerPid))
                .as("TaskManager is its own process")
                .isPresent();
        assertThat(jobManagerPid).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(ProcessHandle.of(cluster.pid("zookeeper")))
                .as("ZooKeeper is its own process")
                .isPresent();

        ShopDb db = ShopDb.create("cluster_shop");
        Map<String, Integer> topics = new LinkedHashMap<>();
        TOPICS.forEach(t -> topics.put(t, 2));
        SharedServers.kafka().createTopics(topics);
        SimulatedChannels channels = SimulatedChannels.generate();
        Map<String, String> env = jobEnvironment(db, channels, cluster.dir().resolve("keys"));
        Path config = writeConfigFile(cluster.dir().resolve("paystream.conf"));

        // Phase 1: the catalogue and orders before the jobs start (the CDC snapshot) ...
        db.exec("INSERT INTO inventory (sku_id, name, stock, deduct_mode, per_user_limit) VALUES "
                + "(1, 'tea', 100, 'ORDER', NULL), (2, 'cup', 100, 'ORDER', NULL), (3, 'pot', 100, 'ORDER', NULL), "
                + "(4, 'gift card', 100, 'PAYMENT', NULL)");
        for (int i = 1; i <= 12; i++) {
            placeOrder(db, i);
        }
        // Side by side, as a user's shell would: each submission runs Flink's client in a JVM of its own.
        Map<String, String> submitted = eachJob(job ->
                cluster.run(env, "submit", job, "-D", SCHEDULE, "--config", config.toString(), "--parallelism", "1"));
        submitted.forEach((job, out) -> assertThat(out).as(job).contains("Job has been submitted with JobID"));
        awaitRunning(JOBS);
        progress("phase 1: jobs submitted and running");

        // ... and payments while they run (the binlog). Payments 1-6 are paid: the channel's
        // callback is there first (it waits for its row), the order system marks the order PAID.
        Map<String, CallbackEnvelope> callbacks = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 1; i <= 6; i++) {
                callbacks.put("P" + i, notifyPaid(channels, producer, i));
            }
        }
        for (int i = 1; i <= 12; i++) {
            startPayment(db, i);
        }
        for (int i = 1; i <= 6; i++) {
            db.exec("UPDATE orders SET status = 'PAID', updated_at = NOW(3) WHERE order_id = " + i);
        }
        try (TopicReader results = new TopicReader("payment.results");
                TopicReader requery = new TopicReader("payment.requery")) {
            results.awaitValues(6, Duration.ofSeconds(90), v -> true);
            // Payments 7-12 hear nothing: their re-query schedule has begun.
            requery.awaitValues(
                    6, Duration.ofSeconds(60), v -> field(v, "attempt").equals("1"));
        }
        Eventually.await(
                "12 order documents",
                Duration.ofSeconds(60),
                () -> indexedStatuses().size() == 12);
        Eventually.await(
                "stock counts equal MySQL",
                Duration.ofSeconds(60),
                () -> stockInRedis().equals(stockInMySql(db)));

        progress("phase 1: outcomes, re-queries, documents and stock seen");
        // Stop every job with a savepoint, in the middle of payments 7-12's schedules.
        // One after another: side by side, the three savepoints took longer (33 s against 25 s).
        Map<String, String> savepoints = new LinkedHashMap<>();
        for (String job : JOBS) {
            savepoints.put(job, cluster.stopJob(job));
        }
        assertThat(savepoints.values())
                .allSatisfy(p -> assertThat(Path.of(URI.create(p))).isDirectory());
        long stoppedAt = System.currentTimeMillis();
        progress("stopped with savepoints: " + savepoints);

        // Phase 2, while nothing runs: channels resend what was already settled, 7 and 8 are paid,
        // new orders come, 9 and 10 are cancelled, an operator cuts a SKU's stock.
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 1; i <= 6; i++) {
                CallbackEnvelope first = callbacks.get("P" + i);
                send(producer, first.resent(first.sourceAddress, System.currentTimeMillis()));
            }
            for (int i = 7; i <= 8; i++) {
                notifyPaid(channels, producer, i);
                db.exec("UPDATE orders SET status = 'PAID', updated_at = NOW(3) WHERE order_id = " + i);
            }
        }
        for (int i = 13; i <= 16; i++) {
            placeOrder(db, i);
            startPayment(db, i);
        }
        db.exec(
                "UPDATE orders SET status = 'CANCELLED', updated_at = NOW(3) WHERE order_id IN (9, 10)",
                "UPDATE inventory SET stock = 40, updated_at = NOW(3) WHERE sku_id = 2");
        // Let the remaining deadlines of payments 9-12 pass while the jobs are stopped: after the
        // resume they are overdue and must fire, once.
        long wait = stoppedAt + 13_000 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }

        Map<String, String> resumed = eachJob(job -> cluster.run(
                env,
                "submit",
                job,
                "--from-savepoint",
                savepoints.get(job),
                "-D",
                SCHEDULE,
                "--config",
                config.toString(),
                "--parallelism",
                "1"));
        resumed.forEach((job, out) -> assertThat(out).as(job).contains("Job has been submitted with JobID"));
        awaitRunning(JOBS);
        progress("phase 2: resumed from the savepoints");

        // Lost payments: 9-12 (overdue during the stop) and 13-16 (new) each get attempts 1 and 2
        // and one alert; every command and alert exactly once across the stop.
        List<String> lost = List.of("P9", "P10", "P11", "P12", "P13", "P14", "P15", "P16");
        try (TopicReader alerts = new TopicReader("payment.alerts");
                TopicReader requery = new TopicReader("payment.requery");
                TopicReader results = new TopicReader("payment.results")) {
            alerts.awaitValues(
                    lost.size(),
                    Duration.ofSeconds(120),
                    v -> lost.contains(field(v, "paymentId"))
                            && field(v, "type").equals("LOST_PAYMENT_EXTERNAL"));
            results.awaitValues(8, Duration.ofSeconds(60), v -> true);
            requery.awaitValues(2 * lost.size(), Duration.ofSeconds(60), v -> lost.contains(field(v, "paymentId")));
            // Anything still in flight is committed within a checkpoint or two.
            List<String> allResults = results.drain(Duration.ofSeconds(4));
            List<String> allRequeries = requery.drain(Duration.ofSeconds(1));
            List<String> allAlerts = alerts.drain(Duration.ofSeconds(1));

            Map<String, Long> outcomes = count(allResults, v -> field(v, "paymentId") + ":" + field(v, "status"));
            Map<String, Long> expected = new TreeMap<>();
            for (int i = 1; i <= 8; i++) {
                expected.put("P" + i + ":SUCCESS", 1L);
            }
            assertThat(new TreeMap<>(outcomes))
                    .as("each outcome exactly once, resends dropped")
                    .isEqualTo(expected);

            assertThat(count(allRequeries, v -> field(v, "commandId")).values())
                    .as("no re-query command twice")
                    .containsOnly(1L);
            Map<String, Long> attemptsOfLost = count(
                    allRequeries.stream()
                            .filter(v -> lost.contains(field(v, "paymentId")))
                            .toList(),
                    v -> field(v, "paymentId"));
            assertThat(attemptsOfLost)
                    .as("attempts 1 and 2 of each lost payment")
                    .hasSize(lost.size())
                    .containsOnlyKeys(lost)
                    .allSatisfy((id, n) -> assertThat(n).isEqualTo(2L));

            assertThat(count(allAlerts, v -> field(v, "alertId")).values())
                    .as("no alert twice")
                    .containsOnly(1L);
            List<String> lostAlerts = allAlerts.stream()
                    .filter(v -> field(v, "type").equals("LOST_PAYMENT_EXTERNAL"))
                    .map(v -> field(v, "paymentId"))
                    .sorted()
                    .toList();
            assertThat(lostAlerts)
                    .as("lost payments alerted")
                    .containsAll(lost)
                    .allSatisfy(id -> assertThat(id).isIn(concat(lost, List.of("P7", "P8"))));
        }

        progress("phase 2: outputs checked");
        // The stopped jobs' class loaders are gone from both processes, only the resumed ones'
        // remain: the job jar's MySQL driver used to keep every generation (about 35 MB of
        // metaspace each on the TaskManager) until OutOfMemoryError: Metaspace.
        awaitOnlyRunningJobsClassLoaders("taskmanager");
        awaitOnlyRunningJobsClassLoaders("jobmanager");
        // The index and the stock counts converge on MySQL, with what happened during the stop.
        Eventually.await(
                "16 order documents, statuses as in MySQL",
                Duration.ofSeconds(60),
                () -> indexedStatuses().equals(orderStatuses(db)));
        Eventually.await(
                "stock counts equal MySQL",
                Duration.ofSeconds(60),
                () -> stockInRedis().equals(stockInMySql(db)));
        assertThat(stockInRedis().get(2L))
                .as("the operator's stock cut reached Redis")
                .startsWith("total=40 ");

        // Business counters, from Flink's Prometheus reporter of the TaskManager.
        String metrics = prometheusMetrics();
        for (String counter : List.of(
                "requeriesSent",
                "lostPaymentsExternal",
                "outcomesPublished",
                "duplicatesDropped",
                "notificationsVerified",
                "stockLevelsPublished",
                "documentsWritten")) {
            assertThat(metrics)
                    .as(counter)
                    .containsPattern("flink_taskmanager_job_task_operator_" + counter + "\\{[^}]*} [1-9]");
        }

        // Before the JobManager is killed: it alone remembers the finished (stopped) jobs.
        assertThat(cluster.run("list"))
                .contains("paystream payments (RUNNING)")
                .contains("paystream stock-ledger (RUNNING)")
                .contains("paystream order-search (RUNNING)")
                .contains("(FINISHED)");

        // Phase 3: the processes die. The JobManager first: under HA the new one takes the same
        // jobs over from ZooKeeper and restores their latest completed checkpoints.
        Map<String, String> ids = runningJobIds();
        Map<String, Long> checkpointed = awaitCompletedCheckpoints(ids);
        long jmKilled = killHard("jobmanager");
        String restarted = cluster.run("start-jobmanager");
        assertThat(restarted).contains("its jobs recover from their latest checkpoints");
        double jmRestAfter = secondsSince(jmKilled);
        awaitRestored(ids, checkpointed, jmKilled);
        double jmRecovery = secondsSince(jmKilled);
        progress(String.format(
                Locale.ROOT,
                "JobManager killed: REST answered after %.1f s, every job RUNNING from its checkpoint after %.1f s",
                jmRestAfter,
                jmRecovery));

        // The jobs were deployed again on the same TaskManager by the new JobManager: the
        // TaskManager let the previous deployment's class loaders go.
        awaitOnlyRunningJobsClassLoaders("taskmanager");

        // Then the TaskManager: a new one registers, every job restores its latest checkpoint again.
        checkpointed = awaitCompletedCheckpoints(ids);
        long tmKilled = killHard("taskmanager");
        assertThat(cluster.run("start-taskmanager")).contains("registered");
        double tmRegisteredAfter = secondsSince(tmKilled);
        awaitRestored(ids, checkpointed, tmKilled);
        double tmRecovery = secondsSince(tmKilled);
        progress(String.format(
                Locale.ROOT,
                "TaskManager killed: new one registered after %.1f s, every job RUNNING from its checkpoint after %.1f s",
                tmRegisteredAfter,
                tmRecovery));

        // Outputs flow again, and nothing committed before either crash is published twice: a
        // payment settled now comes out once, beside the eight earlier outcomes, each still once.
        placeOrder(db, 17);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            notifyPaid(channels, producer, 17);
        }
        startPayment(db, 17);
        try (TopicReader results = new TopicReader("payment.results")) {
            results.awaitValues(
                    1, Duration.ofSeconds(90), v -> field(v, "paymentId").equals("P17"));
            Map<String, Long> outcomes =
                    count(results.drain(Duration.ofSeconds(4)), v -> field(v, "paymentId") + ":" + field(v, "status"));
            Map<String, Long> expected = new TreeMap<>();
            for (int i : List.of(1, 2, 3, 4, 5, 6, 7, 8, 17)) {
                expected.put("P" + i + ":SUCCESS", 1L);
            }
            assertThat(new TreeMap<>(outcomes))
                    .as("each outcome exactly once across both crashes")
                    .isEqualTo(expected);
        }
        progress(String.format(
                Locale.ROOT,
                "phase 3: outputs flowing %.1f s after the TaskManager was killed",
                secondsSince(tmKilled)));

        long jm = cluster.pid("jobmanager");
        long tm = cluster.pid("taskmanager");
        long zk = cluster.pid("zookeeper");
        assertThat(cluster.run("stop")).contains("cluster: stopped");
        assertThat(ProcessHandle.of(jm).map(ProcessHandle::isAlive).orElse(false))
                .as("JobManager gone")
                .isFalse();
        assertThat(ProcessHandle.of(tm).map(ProcessHandle::isAlive).orElse(false))
                .as("TaskManager gone")
                .isFalse();
        assertThat(ProcessHandle.of(zk).map(ProcessHandle::isAlive).orElse(false))
                .as("ZooKeeper gone")
                .isFalse();
        assertThat(listening(zookeeperPort)).as("ZooKeeper port closed").isFalse();
        assertThat(listening(restPort)).as("REST port closed").isFalse();
    }

    // ---------------------------------------------------------------------------------------------
    // The shop

    /** Order {@code i}: user 100+i, one item of SKU 1 + i % 4, 1 + i % 3 units at 10.00. */
    private static void placeOrder(ShopDb db, int i) throws Exception {
        db.exec(
                "INSERT INTO orders VALUES (" + i + ", " + (100 + i) + ", 'CREATED', " + amount(i)
                        + ", NULL, NULL, NOW(3), NOW(3))",
                "INSERT INTO order_items VALUES (" + (1000 + i) + ", " + i + ", " + (1 + i % 4) + ", " + (1 + i % 3)
                        + ", 10.00)");
    }

    /** Payment P{@code i} of order {@code i}, ALIPAY, its total, entering PAYING now. */
    private static void startPayment(ShopDb db, int i) throws Exception {
        db.exec("INSERT INTO payments VALUES ('P" + i + "', " + i + ", 'ALIPAY', " + amount(i)
                + ", 'PAYING', NULL, NOW(3), NOW(3))");
    }

    private static String amount(int i) {
        return (1 + i % 3) * 10 + ".00";
    }

    private static CallbackEnvelope notifyPaid(
            SimulatedChannels channels, KafkaProducer<byte[], byte[]> producer, int i) {
        long cents = (1 + i % 3) * 1000L;
        PaymentFacts paid = new PaymentFacts(
                "P" + i, "T" + i, cents, "SUCCESS", Instant.now().minusSeconds(1));
        CallbackEnvelope e = channels.alipay()
                .notification(
                        paid,
                        Instant.now(),
                        SimulatedChannels.genuineAddress("ALIPAY", i),
                        io.paystream.channels.Forgery.NONE);
        send(producer, e);
        producer.flush();
        return e;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, CallbackEnvelope e) {
        producer.send(new ProducerRecord<>(
                "payment.callbacks",
                e.notifyId.getBytes(StandardCharsets.UTF_8),
                e.toJson().getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    // ---------------------------------------------------------------------------------------------
    // Configuration, every documented way: Flink configuration (-D paystream.KEY=VALUE), a file,
    // the environment, arguments.

    /** Endpoints shared by every job: the --config file. */
    private static Path writeConfigFile(Path file) throws IOException {
        String conf = String.join(
                "\n",
                "# paystream settings shared by every job on this cluster",
                "kafka.bootstrap-servers: " + SharedServers.kafka().bootstrapServers(),
                "elasticsearch.hosts: " + SharedServers.elasticsearch().httpUrl(),
                "redis.uri: " + SharedServers.redis().uri(),
                "checkpoint.interval: 1 s",
                "restart.delay: 1 s",
                "");
        return Files.writeString(file, conf);
    }

    /**
     * The database, secrets and job-specific timeouts as {@code PAYSTREAM_*} variables: one
     * environment for every job (a job ignores the variables of settings it does not have).
     */
    private static Map<String, String> jobEnvironment(ShopDb db, SimulatedChannels channels, Path keys)
            throws IOException {
        Files.createDirectories(keys);
        MariaDbServer mysql = db.server();
        Map<String, String> settings = new LinkedHashMap<>(channels.publish(keys));
        settings.put("mysql.hostname", mysql.host());
        settings.put("mysql.port", String.valueOf(mysql.port()));
        settings.put("mysql.database", db.database());
        settings.put("mysql.username", MariaDbServer.CDC_USER);
        settings.put("mysql.password", mysql.cdcPassword());
        settings.put("requery.answer-timeout", "4s");
        settings.put("search.index", INDEX);
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach((k, v) -> env.put(
                "PAYSTREAM_" + k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v));
        return env;
    }

    // ---------------------------------------------------------------------------------------------
    // What the cluster and the stores say

    private static void awaitRunning(List<String> jobs) {
        Eventually.await("jobs running: " + jobs, Duration.ofSeconds(90), () -> {
            JsonNode overview = rest("/jobs/overview");
            int running = 0;
            for (JsonNode j : overview.path("jobs")) {
                String name = j.path("name").asText();
                if (jobs.stream().anyMatch(n -> name.equals("paystream " + n))
                        && j.path("state").asText().equals("RUNNING")
                        && j.path("tasks").path("running").asInt()
                                == j.path("tasks").path("total").asInt()) {
                    running++;
                }
            }
            return running == jobs.size();
        });
    }

    /** The running paystream jobs' ids by job name. */
    private static Map<String, String> runningJobIds() {
        Map<String, String> ids = new TreeMap<>();
        for (JsonNode j : rest("/jobs/overview").path("jobs")) {
            if (j.path("state").asText().equals("RUNNING")) {
                ids.put(j.path("name").asText(), j.path("jid").asText());
            }
        }
        assertThat(ids.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        JOBS.stream().map(n -> "paystream " + n).toList());
        return ids;
    }

    /** Waits until every job has completed a checkpoint; returns the latest completed id of each. */
    private static Map<String, Long> awaitCompletedCheckpoints(Map<String, String> ids) {
        Map<String, Long> latest = new TreeMap<>();
        Eventually.await("a completed checkpoint of every job", Duration.ofSeconds(60), () -> {
            ids.forEach((name, id) -> {
                JsonNode completed =
                        rest("/jobs/" + id + "/checkpoints").path("latest").path("completed");
                if (completed.has("id")) {
                    latest.put(name, completed.path("id").asLong());
                }
            });
            return latest.size() == ids.size();
        });
        return latest;
    }

    /**
     * Waits until every job (the same ids as before) runs all its tasks again and says it was
     * restored, after {@code since}, from a checkpoint (not a savepoint) at least as new as the
     * latest one completed before the crash: nothing older was taken up.
     */
    private static void awaitRestored(Map<String, String> ids, Map<String, Long> checkpointed, long since) {
        Eventually.await("every job running again from its latest checkpoint", Duration.ofSeconds(180), () -> {
            for (Map.Entry<String, String> job : ids.entrySet()) {
                JsonNode details = rest("/jobs/" + job.getValue());
                JsonNode restored = rest("/jobs/" + job.getValue() + "/checkpoints")
                        .path("latest")
                        .path("restored");
                boolean allRunning = details.path("state").asText().equals("RUNNING")
                        && details.path("vertices").size() > 0;
                for (JsonNode v : details.path("vertices")) {
                    allRunning &= v.path("status").asText().equals("RUNNING");
                }
                if (!allRunning
                        || !restored.has("id")
                        || restored.path("is_savepoint").asBoolean()
                        || restored.path("restore_timestamp").asLong() < since
                        || restored.path("id").asLong() < checkpointed.get(job.getKey())) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Waits until the process (after a full GC) holds no more Flink user-code class loaders than
     * there are running jobs (parallelism 1: one each), as {@code jcmd VM.classloader_stats} lists
     * them; a loader kept by something JVM-wide would stay forever.
     */
    private static void awaitOnlyRunningJobsClassLoaders(String process) throws IOException {
        long pid = cluster.pid(process);
        int[] seen = {-1};
        try {
            Eventually.await(process + " holding only the running jobs' class loaders", Duration.ofSeconds(60), () -> {
                jcmd(pid, "GC.run");
                seen[0] = (int) jcmd(pid, "VM.classloader_stats")
                        .lines()
                        .filter(l -> l.endsWith("org.apache.flink.util.ChildFirstClassLoader"))
                        .count();
                if (seen[0] <= JOBS.size()) {
                    return true;
                }
                LockSupport.parkNanos(Duration.ofSeconds(2).toNanos()); // a full GC each time: not too often
                return false;
            });
        } catch (AssertionError e) {
            throw new AssertionError(
                    process + " still holds " + seen[0] + " user-code class loaders for " + JOBS.size()
                            + " running jobs (class loader leak)",
                    e);
        }
        progress(process + ": " + seen[0] + " user-code class loaders after a full GC");
    }

    private static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            String.valueOf(pid),
                            command)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as the fault soak does it ({@code kill -9 $(cat DIR/NAME.pid)}); returns when it was sent. */
    private static long killHard(String process) throws Exception {
        long pid = cluster.pid(process);
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        long at = System.currentTimeMillis();
        assertThat(new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor())
                .as("kill -9 " + process)
                .isZero();
        handle.onExit().get(30, TimeUnit.SECONDS);
        return at;
    }

    private static double secondsSince(long epochMillis) {
        return (System.currentTimeMillis() - epochMillis) / 1000.0;
    }

    private static JsonNode rest(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The TaskManager's Prometheus endpoint (the JobManager's is on the port before). */
    private static String prometheusMetrics() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + (prometheusPort + 1) + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static EsIndex index() {
        return new EsIndex(SharedServers.elasticsearch().httpUrl(), INDEX);
    }

    private static Map<Long, String> indexedStatuses() {
        try (EsIndex index = index()) {
            if (!index.exists()) {
                return Map.of();
            }
            Map<Long, String> out = new TreeMap<>();
            index.all()
                    .forEach((id, doc) -> out.put(
                            id,
                            doc.path("status").asText() + "/"
                                    + doc.path("items").size()));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Long, String> orderStatuses(ShopDb db) {
        return query(
                db,
                "SELECT o.order_id, o.status, COUNT(i.item_id) FROM orders o LEFT JOIN order_items i ON i.order_id = o.order_id "
                        + "GROUP BY o.order_id, o.status",
                rs -> rs.getString(2) + "/" + rs.getInt(3));
    }

    /** The contract's counts recomputed from MySQL: ORDER SKUs reserve for CREATED orders, every SKU sells to PAID ones. */
    private static Map<Long, String> stockInMySql(ShopDb db) {
        return query(
                db,
                "SELECT v.sku_id, v.stock, "
                        + "COALESCE(SUM(CASE WHEN o.status = 'CREATED' AND v.deduct_mode = 'ORDER' THEN i.quantity END), 0), "
                        + "COALESCE(SUM(CASE WHEN o.status = 'PAID' THEN i.quantity END), 0) "
                        + "FROM inventory v LEFT JOIN order_items i ON i.sku_id = v.sku_id LEFT JOIN orders o ON o.order_id = i.order_id "
                        + "GROUP BY v.sku_id, v.stock",
                rs -> "total=" + rs.getInt(2) + " reserved=" + rs.getInt(3) + " sold=" + rs.getInt(4));
    }

    private static Map<Long, String> stockInRedis() {
        Map<Long, String> out = new TreeMap<>();
        try (Jedis redis = new Jedis(URI.create(SharedServers.redis().uri()))) {
            for (long sku = 1; sku <= 4; sku++) {
                Map<String, String> h = redis.hgetAll("stock:" + sku);
                if (!h.isEmpty()) {
                    out.put(
                            sku,
                            "total=" + h.get("total") + " reserved=" + h.get("reserved") + " sold=" + h.get("sold"));
                }
            }
        }
        return out;
    }

    private interface Column {
        String read(ResultSet rs) throws Exception;
    }

    private static Map<Long, String> query(ShopDb db, String sql, Column value) {
        MariaDbServer server = db.server();
        try (Connection c = DriverManager.getConnection(
                        server.jdbcUrl(db.database()), MariaDbServer.SHOP_USER, server.shopPassword());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            Map<Long, String> out = new TreeMap<>();
            while (rs.next()) {
                out.put(rs.getLong(1), value.read(rs));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static final long STARTED = System.nanoTime();

    /** What the cluster script answered for each job, run for all jobs at once (each its own process). */
    private interface ClusterCall {
        String run(String job) throws IOException, InterruptedException;
    }

    private static Map<String, String> eachJob(ClusterCall call) throws Exception {
        Map<String, java.util.concurrent.CompletableFuture<String>> calls = new LinkedHashMap<>();
        for (String job : JOBS) {
            calls.put(job, java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return call.run(job);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, java.util.concurrent.CompletableFuture<String>> c : calls.entrySet()) {
            out.put(c.getKey(), c.getValue().get(10, TimeUnit.MINUTES));
        }
        return out;
    }

    private static void progress(String what) {
        System.out.printf("[%5.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, what);
    }

    private static String field(String json, String name) {
        try {
            return JSON.readTree(json).path(name).asText();
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private static Map<String, Long> count(List<String> values, Function<String, String> key) {
        return values.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * A free port whose next one is free too: deploy/cluster gives the TaskManager's Prometheus
     * reporter the port after the JobManager's, and a taken one only shows late, as a refused
     * connection (seen once in a full run).
     */
    private static int twoFreePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = freePort();
            try (ServerSocket next = new ServerSocket(p + 1)) {
                return p;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no two consecutive free ports");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("localhost", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
