package io.paystream.queryworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.paystream.channels.ChannelQueryServers;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.Pem;
import io.paystream.channels.QueryFault;
import io.paystream.channels.RefundFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.callbacks.ChannelCredentials;
import io.paystream.functions.callbacks.ChannelVerifiers;
import io.paystream.functions.callbacks.Verdict;
import io.paystream.servers.KafkaServer;
import io.paystream.servers.SharedServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the worker's tests share (one per JVM): the real Kafka broker, the simulated channels with
 * their query emulators answering from {@link #TRUTH}, and the payments job's own verifier. Each
 * test keeps apart by its own topics, consumer group and payment ids.
 */
final class WorkerHarness {
    static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    static final Map<String, PaymentFacts> TRUTH = new ConcurrentHashMap<>();
    static final Map<String, RefundFacts> REFUNDS = new ConcurrentHashMap<>();
    static final ChannelQueryServers EMULATORS =
            ChannelQueryServers.start(CHANNELS, TRUTH::get).refundTruth(REFUNDS::get);
    private static final AtomicInteger RUN = new AtomicInteger();

    final String requery;
    final String refundRequery;
    final String results;
    final String dlq;
    final String group;
    private final String prefix;

    WorkerHarness(String name, int partitions) {
        int n = RUN.incrementAndGet();
        this.prefix = name + "-" + n + "-" + System.nanoTime() % 100000;
        this.requery = "payment.requery." + prefix;
        this.refundRequery = "refund.requery." + prefix;
        this.results = "payment.query-results." + prefix;
        this.dlq = "paystream.dlq." + prefix;
        this.group = "qw-" + prefix;
        kafka().createTopics(Map.of(requery, partitions, refundRequery, partitions, results, 1, dlq, 1));
        for (String ch : List.of("WECHAT", "ALIPAY", "UNIONPAY")) {
            EMULATORS.of(ch).faults((id, k) -> QueryFault.NONE).rateLimit(0);
        }
    }

    static KafkaServer kafka() {
        return SharedServers.kafka();
    }

    /** A payment id unique to this test. */
    String payment(String tag) {
        return "P-" + prefix + "-" + tag;
    }

    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>(EMULATORS.workerSettings());
        s.put("kafka.bootstrap-servers", kafka().bootstrapServers());
        s.put("kafka.topic.requery", requery);
        s.put("kafka.topic.refund-requery", refundRequery);
        s.put("kafka.topic.query-results", results);
        s.put("kafka.topic.dlq", dlq);
        s.put("query.group-id", group);
        s.put("query.http.port", "0");
        s.put("query.http.host", "127.0.0.1");
        s.put("query.request-timeout", "1s");
        s.put("query.backoff.initial", "50ms");
        s.put("query.backoff.max", "400ms");
        s.put("query.max-attempts", "8");
        s.put("query.rate.wechat", "1000");
        s.put("query.rate.alipay", "1000");
        s.put("query.rate.unionpay", "1000");
        s.put("query.shutdown-grace", "2s");
        return s;
    }

    QueryWorker start(Map<String, String> overrides) {
        Map<String, String> s = settings();
        s.putAll(overrides);
        return QueryWorker.start(WorkerSettings.of(s));
    }

    /** A paid payment the channel knows. */
    static PaymentFacts paid(String paymentId, long cents, String outcome) {
        Instant paidAt = "SUCCESS".equals(outcome)
                ? Instant.ofEpochMilli(System.currentTimeMillis() / 1000 * 1000 - 60_000)
                : null;
        PaymentFacts f = new PaymentFacts(paymentId, "T" + Math.abs(paymentId.hashCode()), cents, outcome, paidAt);
        TRUTH.put(paymentId, f);
        return f;
    }

    /** A payment the user never paid that the shop closed at the channel: no transaction id. */
    static PaymentFacts closedUnpaid(String paymentId, long cents) {
        PaymentFacts f = new PaymentFacts(paymentId, null, cents, "CLOSED", null);
        TRUTH.put(paymentId, f);
        return f;
    }

    static String command(String paymentId, String channel, int attempt) {
        long since = System.currentTimeMillis() - 60_000;
        return "{\"commandId\":\"" + paymentId + ":" + since / 1000 * 1000 + ":" + attempt + "\",\"paymentId\":\""
                + paymentId
                + "\",\"orderId\":1,\"channel\":\"" + channel + "\",\"attempt\":" + attempt
                + ",\"maxAttempts\":3,\"payingSince\":" + since / 1000 * 1000 + ",\"dueAt\":" + since
                + ",\"emittedAt\":" + System.currentTimeMillis() + "}";
    }

    void send(String key, String value) {
        List<String[]> one = new ArrayList<>();
        one.add(new String[] {key, value});
        send(one);
    }

    /** A refund command of {@code facts}'s refund, as the payments job writes it on {@code refund.requery}. */
    static String refundCommand(RefundFacts facts, String channel, int attempt) {
        long since = System.currentTimeMillis() / 1000 * 1000 - 60_000;
        return "{\"commandId\":\"" + facts.refundId() + ":" + since + ":" + attempt + "\",\"refundId\":\""
                + facts.refundId() + "\",\"paymentId\":\"" + facts.paymentId()
                + "\",\"orderId\":1,\"channel\":\"" + channel + "\",\"channelRefundId\":null,\"attempt\":" + attempt
                + ",\"maxAttempts\":3,\"refundingVersion\":" + since + ",\"refundingSince\":" + since
                + ",\"dueAt\":" + since + ",\"emittedAt\":" + System.currentTimeMillis() + "}";
    }

    /** A refund the channel knows, of a payment it knows: its status in WeChat Pay's words, or PROCESSING. */
    static RefundFacts refunded(String refundId, String paymentId, long cents, String status) {
        Instant at = Instant.ofEpochMilli(System.currentTimeMillis() / 1000 * 1000 - 30_000);
        RefundFacts f = RefundFacts.succeeded(
                        refundId, paymentId, "T" + Math.abs(paymentId.hashCode()), cents, cents * 3, at)
                .withStatus(status);
        REFUNDS.put(refundId, f);
        return f;
    }

    void sendRefunds(List<String[]> keyValues) {
        send(refundRequery, keyValues);
    }

    void send(List<String[]> keyValues) {
        send(requery, keyValues);
    }

    private static void send(String topic, List<String[]> keyValues) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Not idempotent: right after a topic's creation the broker may answer NOT_LEADER to the first
        // batch, and the idempotent producer (Kafka 3.9 clients) then retries it forever with
        // OUT_OF_ORDER_SEQUENCE_NUMBER. One request in flight keeps the commands in order.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String[] kv : keyValues) {
                producer.send(new ProducerRecord<>(topic, kv[0], kv[1]));
            }
            producer.flush();
        }
    }

    /** Reads {@code topic} from the start until {@code done} holds for what was read, or fails after {@code timeout}. */
    static List<ConsumerRecord<String, String>> readUntil(
            String topic, Duration timeout, java.util.function.Predicate<List<ConsumerRecord<String, String>>> done) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(topic)) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out)) {
                if (System.nanoTime() > deadline) {
                    fail("waited " + timeout + " on " + topic + "; read " + out.size() + ": "
                            + out.stream().map(ConsumerRecord::value).collect(Collectors.toList()));
                }
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    static List<ConsumerRecord<String, String>> readAtLeast(String topic, int n) {
        return readUntil(topic, Duration.ofSeconds(30), l -> l.size() >= n);
    }

    /** Waits for a condition (polling every 20 ms), failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** The payments job's verifier, configured as the job would be for these channels. */
    static ChannelVerifiers verifier() {
        ChannelCredentials c = new ChannelCredentials();
        c.wechatMchId = CHANNELS.wechat().mchId();
        c.wechatAppId = CHANNELS.wechat().appId();
        c.wechatPlatformKeys.put(
                CHANNELS.wechat().serial(),
                Pem.publicKey(CHANNELS.wechat().platformKey().getPublic()));
        c.wechatApiV3Key = CHANNELS.wechat().apiV3Key();
        c.wechatAllowlist = SimulatedChannels.WECHAT_ADDRESSES;
        c.alipayAppId = CHANNELS.alipay().appId();
        c.alipayPublicKey = Pem.publicKey(CHANNELS.alipay().alipayKey().getPublic());
        c.alipayAllowlist = SimulatedChannels.ALIPAY_ADDRESSES;
        c.unionpayMerId = CHANNELS.unionpay().merId();
        c.unionpayPublicKeys.put(
                CHANNELS.unionpay().certId(),
                Pem.publicKey(CHANNELS.unionpay().signKey().getPublic()));
        c.unionpayHmacSecret = CHANNELS.unionpay().hmacSecret();
        c.unionpayAllowlist = SimulatedChannels.UNIONPAY_ADDRESSES;
        c.queryKeys.put(CHANNELS.queryAnswers().keyId(), CHANNELS.queryAnswers().secret());
        return new ChannelVerifiers(c);
    }

    /** Each refund answer verified by the payments job's verifier, by refund id (the last one wins). */
    static Map<String, Verdict> verifiedRefunds(List<ConsumerRecord<String, String>> answers) {
        ChannelVerifiers v = verifier();
        Map<String, Verdict> out = new HashMap<>();
        for (ConsumerRecord<String, String> r : answers) {
            Verdict verdict =
                    v.verifyQueryAnswer(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), r.timestamp());
            assertThat(verdict.kind).as(verdict.reason + " for " + r.value()).isEqualTo(Verdict.Kind.ACCEPTED);
            assertThat(verdict.refund).as("a refund answer: " + r.value()).isNotNull();
            assertThat(r.key()).as("keyed by payment id").isEqualTo(verdict.refund.paymentId);
            out.put(verdict.refund.refundId, verdict);
        }
        return out;
    }

    /** Each answer verified by the payments job's verifier, by payment id (the last one wins). */
    static Map<String, Verdict> verified(List<ConsumerRecord<String, String>> answers) {
        ChannelVerifiers v = verifier();
        Map<String, Verdict> out = new HashMap<>();
        for (ConsumerRecord<String, String> r : answers) {
            Verdict verdict =
                    v.verifyQueryAnswer(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), r.timestamp());
            assertThat(verdict.kind).as(verdict.reason + " for " + r.value()).isEqualTo(Verdict.Kind.ACCEPTED);
            assertThat(r.key()).isEqualTo(verdict.notification.paymentId);
            out.put(verdict.notification.paymentId, verdict);
        }
        return out;
    }
}
