package io.paystream.queryworker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment center's query worker: consumes {@code payment.requery} and {@code refund.requery}
 * (read_committed), asks the command's channel about the payment or the refund, and publishes the
 * contract's signed answer on {@code payment.query-results} (docs/contract.md), keyed by payment id.
 *
 * <ul>
 *   <li><b>At least once.</b> A command's offset is committed only once its answer (or its dead
 *       letter) is acknowledged by Kafka ({@code acks=all}, idempotent producer): per partition the
 *       worker commits the highest offset below which every command is finished. A crash re-queries
 *       the unfinished ones, which is harmless: the payments job deduplicates by commandId.
 *   <li><b>Politeness.</b> A token bucket per channel spaces the queries; timeouts, 5xx and the
 *       channels' rate-limit and system-error answers are retried with exponential backoff and full
 *       jitter, up to {@code query.max-attempts}, then the command goes to the DLQ (the job's own
 *       schedule asks again later with a new command).
 *   <li><b>Bounded.</b> At most {@code query.max-in-flight} commands are being queried (their retry
 *       waits included); beyond that the consumer pauses. Command ids are remembered (bounded, LRU)
 *       so a duplicate command is queried once.
 *   <li><b>Never crashes on data.</b> A malformed command, a command for a channel it does not
 *       query, an answer that is malformed or whose signature does not verify, or a refused query go
 *       to {@code paystream.dlq} in the contract's format, with a metric.
 * </ul>
 *
 * <p>Embeddable: {@link #start(WorkerSettings)} returns a running worker; {@link #close()} stops it
 * gracefully (in-flight queries get {@code query.shutdown-grace} to finish, then what is done is
 * committed).
 */
public final class QueryWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryWorker.class);
    static final String JOB = "query-worker";

    private final WorkerSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final Metrics metrics = new Metrics();
    private final Map<String, ChannelClient> clients = new HashMap<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final HttpServer endpoints;
    private final Thread poller;
    private final String keyId;
    private final byte[] secret;
    private final String topicRequery;
    private final String topicRefundRequery;
    private final String topicResults;
    private final String topicDlq;
    private final int maxInFlight;
    private final int maxAttempts;
    private final long backoffInitialNanos;
    private final long backoffMaxNanos;
    private final Dedup seen;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final Map<TopicPartition, Progress> progress = new HashMap<>();
    private final AtomicLong lastPollMs = new AtomicLong(System.currentTimeMillis());
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean crashing = false;
    private volatile Throwable failure;

    /** One command being worked on. */
    private static final class Job {
        final ConsumerRecord<byte[], byte[]> record;
        final RequeryCommand command;
        final Progress progress;
        final long startedNanos = System.nanoTime();

        Job(ConsumerRecord<byte[], byte[]> record, RequeryCommand command, Progress progress) {
            this.record = record;
            this.command = command;
            this.progress = progress;
        }
    }

    private record Finished(Progress progress, long offset) {}

    /** The offsets of one assigned partition that are not finished yet. */
    private static final class Progress {
        final TopicPartition partition;
        final TreeSet<Long> open = new TreeSet<>();
        long next = -1; // one past the highest offset seen
        long committed = -1;

        Progress(TopicPartition partition) {
            this.partition = partition;
        }

        void seen(long offset) {
            open.add(offset);
            next = Math.max(next, offset + 1);
        }

        /** The offset to commit: below it every command is finished; -1 if nothing new. */
        long committable() {
            long c = open.isEmpty() ? next : open.first();
            return c > committed ? c : -1;
        }
    }

    private QueryWorker(WorkerSettings s) {
        this.settings = s;
        this.topicRequery = s.get(WorkerSettings.TOPIC_REQUERY);
        this.topicRefundRequery = s.get(WorkerSettings.TOPIC_REFUND_REQUERY);
        this.topicResults = s.get(WorkerSettings.TOPIC_QUERY_RESULTS);
        this.topicDlq = s.get(WorkerSettings.TOPIC_DLQ);
        this.maxInFlight = s.getInt(WorkerSettings.MAX_IN_FLIGHT);
        this.maxAttempts = s.getInt(WorkerSettings.MAX_ATTEMPTS);
        this.backoffInitialNanos = s.getDuration(WorkerSettings.BACKOFF_INITIAL).toNanos();
        this.backoffMaxNanos = s.getDuration(WorkerSettings.BACKOFF_MAX).toNanos();
        this.seen = new Dedup(s.getInt(WorkerSettings.DEDUPE_CAPACITY));
        Map<String, String> keys = s.keyMap(WorkerSettings.HMAC_KEYS);
        this.keyId = s.isSet(WorkerSettings.SIGNING_KEY_ID)
                ? s.get(WorkerSettings.SIGNING_KEY_ID)
                : keys.keySet().iterator().next();
        this.secret = keys.get(keyId).getBytes(StandardCharsets.UTF_8);

        Duration timeout = s.getDuration(WorkerSettings.REQUEST_TIMEOUT);
        this.httpExecutor = Executors.newFixedThreadPool(2, daemon("query-worker-http"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(httpExecutor)
                .build();
        int burst = s.getInt(WorkerSettings.RATE_BURST);
        List<String> problems = new ArrayList<>();
        for (String channel : s.channels()) {
            try {
                ChannelClient c;
                switch (channel) {
                    case "WECHAT":
                        c = new WechatPayClient(http, json, timeout, s);
                        buckets.put(channel, new TokenBucket(s.getDouble(WorkerSettings.RATE_WECHAT), burst));
                        break;
                    case "ALIPAY":
                        c = new AlipayClient(http, json, timeout, s);
                        buckets.put(channel, new TokenBucket(s.getDouble(WorkerSettings.RATE_ALIPAY), burst));
                        break;
                    default:
                        c = new UnionPayClient(http, timeout, s);
                        buckets.put(channel, new TokenBucket(s.getDouble(WorkerSettings.RATE_UNIONPAY), burst));
                }
                clients.put(channel, c);
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            httpExecutor.shutdownNow();
            throw new WorkerSettings.InvalidSettingsException(problems);
        }

        Properties pc = new Properties();
        pc.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.get(WorkerSettings.KAFKA_BOOTSTRAP));
        pc.put(ProducerConfig.ACKS_CONFIG, "all");
        pc.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        pc.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        pc.put(ProducerConfig.CLIENT_ID_CONFIG, "paystream-query-worker-producer");
        this.producer = new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer());
        Properties cc = new Properties();
        cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.get(WorkerSettings.KAFKA_BOOTSTRAP));
        cc.put(ConsumerConfig.GROUP_ID_CONFIG, s.get(WorkerSettings.GROUP_ID));
        cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.max(1, Math.min(500, maxInFlight))));
        this.consumer = new KafkaConsumer<>(cc, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("query-worker-scheduler"));

        metrics.gauge("in_flight", inFlight::get);
        metrics.gauge("waiting", () -> waiting.size());
        try {
            endpoints = HttpServer.create(
                    new InetSocketAddress(s.get(WorkerSettings.HTTP_HOST), s.getInt(WorkerSettings.HTTP_PORT)), 16);
        } catch (IOException e) {
            closeClients();
            throw new UncheckedIOException("cannot listen on query.http.port " + s.get(WorkerSettings.HTTP_PORT), e);
        }
        endpoints.setExecutor(Executors.newSingleThreadExecutor(daemon("query-worker-endpoints")));
        endpoints.createContext("/metrics", ex -> {
            byte[] b = metrics.render().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        endpoints.createContext("/health", ex -> {
            boolean ok = healthy();
            byte[] b = (ok ? "UP\n" : "DOWN\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 503, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        endpoints.start();
        this.poller = new Thread(this::run, "query-worker-poller");
    }

    /** Starts a worker: consumes, queries and publishes until {@link #close()}. */
    public static QueryWorker start(WorkerSettings settings) {
        QueryWorker w = new QueryWorker(settings);
        w.poller.start();
        LOG.info(
                "query worker started: channels {}, {} and {} -> {}, metrics on port {}",
                settings.channels(),
                w.topicRequery,
                w.topicRefundRequery,
                w.topicResults,
                w.httpPort());
        return w;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The port of {@code GET /metrics} and {@code GET /health}. */
    public int httpPort() {
        return endpoints.getAddress().getPort();
    }

    /** Commands being queried now (their retry waits included). */
    public int inFlight() {
        return inFlight.get();
    }

    /** True once the poller stopped on an error (the process should exit and be restarted). */
    public boolean failed() {
        return failure != null;
    }

    public boolean healthy() {
        return running && failure == null && poller.isAlive() && System.currentTimeMillis() - lastPollMs.get() < 30_000;
    }

    // ---------------------------------------------------------------- the poller thread

    private void run() {
        try {
            List<String> topics = topicRefundRequery.equals(topicRequery)
                    ? List.of(topicRequery)
                    : List.of(topicRequery, topicRefundRequery);
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    drainFinished();
                    commit(partitions, true);
                    for (TopicPartition tp : partitions) {
                        progress.remove(tp);
                    }
                    waiting.removeIf(j -> partitions.contains(j.progress.partition));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        progress.put(tp, new Progress(tp));
                    }
                }
            });
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(100));
                } catch (WakeupException e) {
                    continue;
                }
                lastPollMs.set(System.currentTimeMillis());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    accept(r);
                }
                startWaiting();
                drainFinished();
                commit(progress.keySet(), false);
                if (waiting.size() >= maxInFlight) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    consumer.resume(consumer.paused());
                }
            }
            if (!crashing) {
                // Graceful: let the queries in flight finish (within the grace), commit what is done.
                long deadline = System.nanoTime()
                        + settings.getDuration(WorkerSettings.SHUTDOWN_GRACE).toNanos();
                waiting.clear();
                while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                    drainFinished();
                    commit(progress.keySet(), false);
                    Thread.sleep(20);
                }
                producer.flush();
                drainFinished();
                commit(progress.keySet(), true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            LOG.error("query worker stopped on an error", t);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(crashing ? 0 : 5));
            } catch (RuntimeException e) {
                LOG.warn("closing the consumer: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    /** A new record: parse, deduplicate, then query (or wait for room). */
    private void accept(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Progress p = progress.computeIfAbsent(tp, Progress::new);
        p.seen(r.offset());
        boolean refund = r.topic().equals(topicRefundRequery) && !topicRefundRequery.equals(topicRequery);
        RequeryCommand command;
        try {
            byte[] value = r.value() == null ? new byte[0] : r.value();
            command = refund ? RequeryCommand.parseRefund(json, value) : RequeryCommand.parse(json, value);
        } catch (IllegalArgumentException e) {
            deadLetter(
                    new Job(r, null, p),
                    "malformed_command",
                    "malformed " + (refund ? "refund.requery" : "payment.requery") + " command: " + e.getMessage());
            return;
        }
        if (!seen.add(command.dedupeKey())) {
            metrics.inc("duplicates_total", "");
            p.open.remove(r.offset());
            return;
        }
        Job job = new Job(r, command, p);
        if (!clients.containsKey(command.channel())) {
            deadLetter(
                    job,
                    "unknown_channel",
                    "channel '" + command.channel() + "' is not queried by this worker (query.channels)");
            return;
        }
        waiting.add(job);
    }

    private void startWaiting() {
        while (!waiting.isEmpty() && inFlight.get() < maxInFlight) {
            Job job = waiting.poll();
            inFlight.incrementAndGet();
            started.add(job);
            attempt(job, 1);
        }
    }

    private void drainFinished() {
        Finished f;
        while ((f = finished.poll()) != null) {
            if (progress.get(f.progress().partition) == f.progress()) {
                f.progress().open.remove(f.offset());
            }
        }
    }

    private void commit(Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            Progress p = progress.get(tp);
            if (p == null) {
                continue;
            }
            long c = p.committable();
            if (c >= 0) {
                offsets.put(tp, new OffsetAndMetadata(c));
                p.committed = c;
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets);
        } else {
            consumer.commitAsync(offsets, (o, e) -> {
                if (e != null) {
                    LOG.warn("offset commit failed (the commands are queried again after a restart): {}", e.toString());
                }
            });
        }
        metrics.inc("commits_total", "");
    }

    // ---------------------------------------------------------------- queries (any thread)

    private void attempt(Job job, int n) {
        if (crashing) {
            return;
        }
        String channel = job.command.channel();
        long wait = buckets.get(channel).reserve();
        if (wait > 0) {
            metrics.inc("throttled_total", "channel=\"" + channel + "\"");
        }
        scheduler.schedule(() -> send(job, n), wait, TimeUnit.NANOSECONDS);
    }

    private void send(Job job, int n) {
        if (crashing) {
            return;
        }
        String channel = job.command.channel();
        long t0 = System.nanoTime();
        clients.get(channel).query(job.command).whenComplete((answer, error) -> {
            metrics.latency(channel, System.nanoTime() - t0);
            if (error == null) {
                metrics.inc("queries_total", "channel=\"" + channel + "\",outcome=\"" + answer.status() + "\"");
                publish(job, answer, 1);
                return;
            }
            QueryException q = ChannelClient.failure(error);
            metrics.inc(
                    "queries_total",
                    "channel=\"" + channel + "\",outcome=\"" + q.kind.name().toLowerCase() + "\"");
            if (q.kind == QueryException.Kind.RATE_LIMITED) {
                metrics.inc("rate_limited_total", "channel=\"" + channel + "\"");
            }
            if (q.retryable() && n < maxAttempts) {
                metrics.inc("retries_total", "channel=\"" + channel + "\"");
                scheduler.schedule(() -> attempt(job, n + 1), backoff(n), TimeUnit.NANOSECONDS);
            } else if (q.retryable()) {
                deadLetter(job, "gave_up", "gave up after " + n + " attempts: " + q.getMessage());
            } else {
                deadLetter(job, q.kind == QueryException.Kind.UNUSABLE ? "unusable_answer" : "refused", q.getMessage());
            }
        });
    }

    /** Exponential backoff with full jitter: uniform in [0, min(max, initial × 2^(n-1))]. */
    private long backoff(int n) {
        long cap = backoffInitialNanos << Math.min(n - 1, 30);
        if (cap <= 0 || cap > backoffMaxNanos) {
            cap = backoffMaxNanos;
        }
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    private void publish(Job job, ChannelAnswer a, int tries) {
        if (crashing) {
            return;
        }
        String envelope = envelope(job.command, a);
        producer.send(new ProducerRecord<>(topicResults, job.command.paymentId(), envelope), (md, e) -> {
            if (e == null) {
                metrics.inc("answers_published_total", "channel=\"" + job.command.channel() + "\"");
                finish(job);
            } else {
                metrics.inc("publish_failures_total", "");
                LOG.warn(
                        "publishing the answer to {} failed (try {}), retrying: {}",
                        job.command.commandId(),
                        tries,
                        e.toString());
                scheduler.schedule(
                        () -> publish(job, a, tries + 1), backoff(Math.min(tries, 10)), TimeUnit.NANOSECONDS);
            }
        });
    }

    /** The contract's signed envelope: HMAC-SHA256 of the payload text as sent. */
    String envelope(RequeryCommand c, ChannelAnswer a) {
        if (c.isRefund()) {
            return refundEnvelope(c, a);
        }
        ObjectNode p = json.createObjectNode();
        p.put("commandId", c.commandId());
        p.put("paymentId", c.paymentId());
        p.put("channel", c.channel());
        p.put("status", a.status());
        if (a.channelTxnId() != null) {
            p.put("channelTxnId", a.channelTxnId());
        }
        if (a.amountCents() != null) {
            p.put("amount", BigDecimal.valueOf(a.amountCents(), 2).toPlainString());
        }
        if (a.paidAtMs() != null) {
            p.put("paidAt", a.paidAtMs());
        }
        p.put("queriedAt", a.queriedAtMs());
        return sign(p);
    }

    /**
     * A refund answer: {@code "kind":"REFUND"}, the refund's id, its channel refund id, amount and
     * time of success, status SUCCESS, FAILED, CLOSED or PROCESSING (docs/contract.md).
     */
    private String refundEnvelope(RequeryCommand c, ChannelAnswer a) {
        ObjectNode p = json.createObjectNode();
        p.put("kind", "REFUND");
        p.put("commandId", c.commandId());
        p.put("refundId", c.refundId());
        p.put("paymentId", c.paymentId());
        p.put("channel", c.channel());
        p.put("status", a.status());
        if (a.channelTxnId() != null) {
            p.put("channelRefundId", a.channelTxnId());
        }
        if (a.amountCents() != null) {
            p.put("amount", BigDecimal.valueOf(a.amountCents(), 2).toPlainString());
        }
        if (a.paidAtMs() != null) {
            p.put("refundedAt", a.paidAtMs());
        }
        p.put("queriedAt", a.queriedAtMs());
        return sign(p);
    }

    private String sign(ObjectNode p) {
        String payload = p.toString();
        ObjectNode env = json.createObjectNode();
        env.put("keyId", keyId);
        env.put("signature", Keys.hmacSha256Base64(secret, payload));
        env.put("payload", payload);
        return env.toString();
    }

    private void deadLetter(Job job, String reasonKind, String reason) {
        ConsumerRecord<byte[], byte[]> r = job.record;
        String source = "kafka:" + r.topic() + "/" + r.partition() + "@" + r.offset();
        ObjectNode d = json.createObjectNode();
        d.put("source", source);
        d.put("reason", reason);
        d.put("raw", r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
        d.put("timeMs", System.currentTimeMillis());
        d.put("job", JOB);
        metrics.inc("dlq_total", "reason=\"" + reasonKind + "\"");
        LOG.warn("dead letter {}: {}", source, reason);
        boolean counted = job.command != null; // only started jobs hold an in-flight slot
        sendDeadLetter(job, source, d.toString(), counted, 1);
    }

    private void sendDeadLetter(Job job, String source, String value, boolean counted, int tries) {
        if (crashing) {
            return;
        }
        producer.send(new ProducerRecord<>(topicDlq, source, value), (md, e) -> {
            if (e == null) {
                if (counted && inFlightJob(job)) {
                    finish(job);
                } else {
                    finished.add(new Finished(job.progress, job.record.offset()));
                }
            } else {
                metrics.inc("publish_failures_total", "");
                scheduler.schedule(
                        () -> sendDeadLetter(job, source, value, counted, tries + 1),
                        backoff(Math.min(tries, 10)),
                        TimeUnit.NANOSECONDS);
            }
        });
    }

    private final java.util.Set<Job> started = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private boolean inFlightJob(Job job) {
        return started.contains(job);
    }

    private void finish(Job job) {
        if (started.remove(job)) {
            inFlight.decrementAndGet();
        }
        finished.add(new Finished(job.progress, job.record.offset()));
    }

    // ---------------------------------------------------------------- stopping

    /** Graceful stop: no new commands; in-flight ones get the grace period; what is done is committed. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        awaitPoller();
        producer.close(Duration.ofSeconds(5));
        closeClients();
        endpoints.stop(0);
        LOG.info("query worker stopped");
    }

    /**
     * Stops at once as a killed process would: nothing more is published or committed; queries in
     * flight are abandoned (a restarted worker queries them again).
     */
    public void crash() {
        crashing = true;
        running = false;
        consumer.wakeup();
        awaitPoller();
        producer.close(Duration.ZERO);
        closeClients();
        endpoints.stop(0);
    }

    private void awaitPoller() {
        try {
            if (!stopped.await(60, TimeUnit.SECONDS)) {
                LOG.warn("the poller did not stop in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeClients() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        httpExecutor.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
