package io.paystream.soak;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Injects one failure of a kind, on a seeded schedule: which kind next, how long a server stays
 * down, which job is stopped with a savepoint. Each method returns when the failed part is back
 * (restarted, thawed, resubmitted); whether the system recovered is {@link RecoveryProbe}'s to say.
 * A TaskManager's kill is the exception: the jobs restart on the standby TaskManager before the
 * replacement starts, so the probe watches for outputs from the kill on first.
 */
final class FaultInjector {
    private final SoakSystem system;
    private final RecoveryProbe probe;
    private final Random random;
    private final List<FaultKind> kinds;
    private final List<FaultKind> firstRound;
    private final boolean shortOutages;
    /** Every garbage record sent, by value: each must reach {@code paystream.dlq}. */
    final List<String> garbageSent = new ArrayList<>();

    private int savepoints;
    private int garbageBatches;

    FaultInjector(SoakSystem system, RecoveryProbe probe, long seed, List<FaultKind> kinds, boolean shortOutages) {
        this.system = system;
        this.probe = probe;
        this.random = new Random(seed);
        this.kinds = List.copyOf(kinds);
        List<FaultKind> round = new ArrayList<>(kinds);
        Collections.shuffle(round, random);
        this.firstRound = round;
        this.shortOutages = shortOutages;
    }

    /** Every kind once (in a seeded order), then kinds drawn at random. */
    FaultKind next(int index) {
        return index < firstRound.size() ? firstRound.get(index) : kinds.get(random.nextInt(kinds.size()));
    }

    /** Waits a seeded pause between faults, 3 to 10 s (2 to 4 s with short outages: the CI soak). */
    long pauseMs() {
        return shortOutages ? 2000 + random.nextInt(2000) : 3000 + random.nextInt(7000);
    }

    Fault inject(FaultKind kind) throws Exception {
        if (kind == FaultKind.TASKMANAGER) {
            return taskManagerKill();
        }
        long start = System.currentTimeMillis();
        String detail = switch (kind) {
            case TASKMANAGER -> throw new IllegalStateException("handled above");
            case JOBMANAGER -> {
                system.flink.killJobManager();
                system.flink.startJobManager();
                yield "kill -9 JobManager, started again (HA)";
            }
            case KAFKA -> {
                long down = downMs(3, 15);
                system.kafka.kill();
                sleep(down);
                system.kafka.startAgain();
                yield "kill -9 Kafka, down " + down / 1000 + " s";
            }
            case ELASTICSEARCH -> elasticsearchOutage();
            case REDIS -> {
                long down = downMs(1, 10);
                system.redis.kill();
                sleep(down);
                system.redis.startAgain();
                yield "kill -9 Redis (comes back empty), down " + down / 1000 + " s";
            }
            case MARIADB -> {
                long down = downMs(3, 15);
                system.mariaDb.kill();
                sleep(down);
                system.mariaDb.startAgain();
                yield "kill -9 MariaDB, down " + down / 1000 + " s";
            }
            case SAVEPOINT -> savepointAndResume();
            case GARBAGE -> garbage();
        };
        return new Fault(kind, start, System.currentTimeMillis(), -1, detail);
    }

    /**
     * {@code kill -9} of the TaskManager running the most tasks; the probe waits for outputs
     * flowing from the kill on (the jobs restart on the surviving TaskManager's free slots): that
     * is the fault's {@code flowingAt}. Then a replacement (the new standby) is started; its
     * {@code backAt} is when it registered. Not both at once: on this two-core machine the
     * replacement's JVM start took the cores the restore needs (the standby's submitTask RPCs timed
     * out after 10 s, and the replacement's own RPC system failed to start, soak of 2026-12-02); on
     * a real cluster it starts on another host, meanwhile.
     */
    private Fault taskManagerKill() {
        long start = System.currentTimeMillis();
        FlinkSessionCluster.TaskManager killed = system.flink.killBusiestTaskManager();
        long flowing = probe.awaitFlowingSince(start, Soak.RECOVERY_TIMEOUT);
        system.flink.startTaskManager();
        long back = System.currentTimeMillis();
        String detail = String.format(
                "kill -9 TaskManager %s (%d of %d slots used), new one started once outputs flowed (registered %.1f s after the kill)",
                killed.name(), killed.usedSlots(), killed.slots(), (back - start) / 1000.0);
        return new Fault(FaultKind.TASKMANAGER, start, back, -1, flowing, detail);
    }

    private String elasticsearchOutage() {
        // 30-90 s as the issue asks; a short soak (CI) keeps to the lower end.
        long down = shortOutages ? 30_000 : downMs(30, 90);
        if (random.nextBoolean()) {
            system.elasticsearch.freeze();
            sleep(down);
            system.elasticsearch.thaw();
            return "Elasticsearch frozen (SIGSTOP) " + down / 1000 + " s";
        }
        system.elasticsearch.kill();
        sleep(down);
        system.elasticsearch.startAgain();
        return "kill -9 Elasticsearch, down " + down / 1000 + " s";
    }

    private String savepointAndResume() {
        List<String> jobs = system.jobNames();
        String job = jobs.get(random.nextInt(jobs.size()));
        int before = system.parallelism.getOrDefault(job, 1);
        // The first one rescales (1 -> 2), later ones alternate back and forth.
        int after = savepoints++ % 2 == 0 ? (before == 1 ? 2 : 1) : before;
        String savepoint = system.flink.stopWithSavepoint(job);
        system.submit(job, savepoint, after);
        return "stop-with-savepoint " + job + ", resumed at parallelism " + after + " (was " + before + ")";
    }

    private String garbage() {
        int n = 3 + random.nextInt(8);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        int batch = ++garbageBatches;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                String topic = i % 2 == 0 ? SoakSystem.TOPICS.get("callbacks") : SoakSystem.TOPICS.get("query-results");
                String value = garbageValue(batch, i);
                producer.send(new ProducerRecord<>(topic, "garbage-" + batch + "-" + i, value))
                        .get();
                synchronized (garbageSent) {
                    garbageSent.add(value);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot send garbage records: " + e.getMessage(), e);
        }
        return n + " garbage records on payment.callbacks and payment.query-results";
    }

    /** Unreadable in several ways: no JSON, JSON of the wrong shape, bytes that are no UTF-8 text. */
    private String garbageValue(int batch, int i) {
        String tag = "soak-garbage-" + batch + "-" + i;
        return switch (i % 4) {
            case 0 -> tag + " {not json";
            case 1 -> "{\"unexpected\":\"" + tag + "\"}";
            case 2 -> "[\"" + tag + "\", 1, 2]";
            default ->
                new String(("\u0000\u0001" + tag + "\uFFFD").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        };
    }

    private long downMs(int minSeconds, int maxSeconds) {
        return 1000L * (minSeconds + random.nextInt(maxSeconds - minSeconds + 1));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
