package io.paystream.jobs.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.testing.FailOnce;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.servers.SharedServers;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Callbacks on the real stack: genuine notifications with many resends, forgeries of every kind,
 * amount mismatches, stale captures, unknown payments, query answers and thousands of garbage
 * records, with the job failing and restarting from a checkpoint in the middle. A read_committed
 * consumer sees each payment's outcome exactly once, and nothing untrusted.
 */
class CallbacksIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CHANNELS = {"WECHAT", "ALIPAY", "UNIONPAY"};

    @Test
    void publishesEachOutcomeExactlyOnceAndNothingUntrusted() throws Exception {
        ShopDb db = ShopDb.create("callbacks_it");
        PaymentsJobRun run = new PaymentsJobRun(
                db,
                "cb-it.",
                "--requery.schedule",
                "5min,10min,15min", // keep re-queries out of this test
                "--callbacks.row-wait",
                "10s",
                "--internal.timeout",
                "10min");
        SimulatedChannels ch = run.channels;
        Random random = new Random(5);

        // 30 payments: GOOD-n paid and notified (with resends), MISMATCH-n notified with a wrong
        // amount, QUERIED-n whose callback was lost but a query answer says SUCCESS.
        Map<String, PaymentFacts> good = new HashMap<>();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String kind = i < 22 ? "GOOD" : i < 25 ? "MISMATCH" : "QUERIED";
            String id = kind + i;
            String channel = CHANNELS[i % 3];
            long cents = 100 + random.nextInt(100_000);
            rows.add("INSERT INTO payments VALUES ('" + id + "', " + (1000 + i) + ", '" + channel + "', "
                    + BigDecimal.valueOf(cents, 2) + ", 'PAYING', NULL, NOW(3), NOW(3))");
            good.put(
                    id,
                    new PaymentFacts(
                            id, "TXN" + i, cents, "SUCCESS", Instant.now().minusSeconds(2)));
        }
        db.exec(rows.toArray(new String[0]));

        FailOnce.arm(PaymentsJobRun.FAILURE);
        JobClient job = run.start(
                "5681-5682",
                2,
                payments -> payments.map(PaymentsJobRun.failOnceOn("TRIGGER-FAILURE"))
                        .returns(payments.getType())
                        .uid("fail-once")
                        .name("fail once"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
                TopicReader results = new TopicReader(run.topic("results"));
                TopicReader alerts = new TopicReader(run.topic("alerts"));
                TopicReader dlq = new TopicReader(run.topic("dlq"))) {
            // Once one outcome is out, the CDC snapshot is through and the job is reading callbacks.
            send(
                    producer,
                    run.topic("callbacks"),
                    notify(ch, "WECHAT", good.get("GOOD0"), "101.226.103.1", Forgery.NONE));
            producer.flush();
            results.awaitValues(1, WAIT, v -> v.contains("GOOD0"));
            int forged = 0;
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 30; i++) {
                    String id = (i < 22 ? "GOOD" : i < 25 ? "MISMATCH" : "QUERIED") + i;
                    String channel = CHANNELS[i % 3];
                    PaymentFacts facts = good.get(id);
                    String address = SimulatedChannels.genuineAddress(channel, i);
                    if (id.startsWith("GOOD")) {
                        send(producer, run.topic("callbacks"), notify(ch, channel, facts, address, Forgery.NONE));
                    } else if (id.startsWith("MISMATCH")) {
                        send(
                                producer,
                                run.topic("callbacks"),
                                notify(ch, channel, facts.withAmount(facts.amountCents() + 1), address, Forgery.NONE));
                    } else if (round == 0) {
                        send(
                                producer,
                                run.topic("query-results"),
                                ch.queryAnswers().answer(id + ":1:1", channel, facts, Instant.now(), false));
                    }
                    // Forgeries about the same payments, and one query answer with a bad HMAC.
                    Forgery f = Forgery.values()[1 + (i + round) % 4];
                    if (!(channel.equals("UNIONPAY") && f == Forgery.STALE)) {
                        PaymentFacts fake =
                                new PaymentFacts(id, "FORGED" + i, facts.amountCents(), "SUCCESS", Instant.now());
                        send(producer, run.topic("callbacks"), notify(ch, channel, fake, address, f));
                        forged++;
                    }
                    send(
                            producer,
                            run.topic("callbacks"),
                            notify(
                                    ch,
                                    channel,
                                    new PaymentFacts(id, "FORGED" + i, facts.amountCents(), "SUCCESS", Instant.now()),
                                    "203.0.113." + (i + 1),
                                    Forgery.NONE));
                    forged++;
                }
                if (round == 0) {
                    send(
                            producer,
                            run.topic("query-results"),
                            ch.queryAnswers().answer("X:1:1", "WECHAT", good.get("GOOD0"), Instant.now(), true));
                    send(
                            producer,
                            run.topic("callbacks"),
                            notify(
                                    ch,
                                    "ALIPAY",
                                    new PaymentFacts("NO-SUCH-PAYMENT", "T", 100, "SUCCESS", Instant.now()),
                                    "110.75.130.1",
                                    Forgery.NONE));
                }
                if (round == 1) {
                    // A crash mid-stream: restart from the last checkpoint, replay what followed it.
                    db.exec(
                            "INSERT INTO payments VALUES ('TRIGGER-FAILURE', 1, 'WECHAT', 1.00, 'CREATED', NULL, NOW(3), NOW(3))");
                }
                garbage(producer, run.topic("callbacks"), random, 750);
                producer.flush();
            }

            List<String> out = results.awaitValues(22 + 5, WAIT, v -> true);
            alerts.awaitValues(1, WAIT, v -> v.contains("UNKNOWN_PAYMENT"));
            dlq.awaitValues(3000, WAIT, v -> true);
            out = results.drain(Duration.ofSeconds(5));

            assertThat(FailOnce.hasFailed(PaymentsJobRun.FAILURE))
                    .as("the failure was injected")
                    .isTrue();
            Map<String, Integer> perPayment = new HashMap<>();
            for (String v : out) {
                JsonNode o = JSON.readTree(v);
                perPayment.merge(o.get("paymentId").asText(), 1, Integer::sum);
                assertThat(o.get("channelTxnId").asText())
                        .as("only genuine facts")
                        .doesNotStartWith("FORGED");
                assertThat(o.get("status").asText()).isEqualTo("SUCCESS");
                String id = o.get("paymentId").asText();
                assertThat(new BigDecimal(o.get("amount").asText()))
                        .isEqualTo(BigDecimal.valueOf(good.get(id).amountCents(), 2));
                assertThat(o.get("source").asText()).isEqualTo(id.startsWith("QUERIED") ? "QUERY" : "CALLBACK");
                assertThat(o.get("orderId").asLong()).isGreaterThanOrEqualTo(1000);
            }
            Set<String> expected = new HashSet<>();
            good.keySet().stream().filter(id -> !id.startsWith("MISMATCH")).forEach(expected::add);
            assertThat(perPayment.keySet()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(perPayment.values())
                    .as("each outcome exactly once across resends and a restart")
                    .containsOnly(1);

            List<String> alertValues = alerts.drain(Duration.ofSeconds(2));
            Map<String, Integer> byType = new HashMap<>();
            for (String v : alertValues) {
                byType.merge(JSON.readTree(v).get("type").asText(), 1, Integer::sum);
            }
            assertThat(byType.get("FORGED_CALLBACK") + byType.get("STALE_CALLBACK"))
                    .as("every forgery rejected")
                    .isGreaterThanOrEqualTo(forged);
            assertThat(byType.get("STALE_CALLBACK")).isPositive();
            assertThat(byType.get("AMOUNT_MISMATCH")).isGreaterThanOrEqualTo(3);
            assertThat(byType.get("UNKNOWN_PAYMENT")).isEqualTo(1);
            assertThat(alertValues)
                    .filteredOn(v -> v.contains("AMOUNT_MISMATCH"))
                    .allMatch(v -> v.contains("MISMATCH"));
            assertRejectionsNameTheirPaymentAndAreKeyed(alerts.records(), good.keySet());

            List<String> letters = dlq.drain(Duration.ofSeconds(1));
            Set<String> sources = new HashSet<>();
            for (String v : letters) {
                JsonNode d = JSON.readTree(v);
                assertThat(d.get("reason").asText()).isNotBlank();
                sources.add(d.get("source").asText());
            }
            assertThat(sources).as("every garbage record got its dead letter").hasSizeGreaterThanOrEqualTo(3000);
            assertThat(job.getJobStatus().get().isTerminalState()).isFalse();
        } finally {
            job.cancel().get();
        }
    }

    /**
     * Every alert has a Kafka key (docs/contract.md); each kind of rejection names the payment it is
     * about (verified: stale, mismatch, unknown) or claims (forged, unverified) and is keyed by it.
     */
    private static void assertRejectionsNameTheirPaymentAndAreKeyed(
            List<ConsumerRecord<byte[], byte[]>> records, Set<String> sentIds) throws Exception {
        Map<String, Integer> byKind = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode a = JSON.readTree(r.value());
            assertThat(r.key()).as("key of " + a).isNotNull();
            String key = new String(r.key(), StandardCharsets.UTF_8);
            String type = a.get("type").asText();
            String reason = a.get("reason").asText();
            String kind;
            if (type.equals("FORGED_CALLBACK")) {
                kind = reason.contains("is not allowed for")
                        ? "allowlist"
                        : reason.startsWith("query answer HMAC")
                                ? "query-hmac"
                                : reason.contains("does not verify")
                                        ? "signature"
                                        : reason.contains("unknown") || reason.contains("is not ours")
                                                ? "unknown-key"
                                                : "other: " + reason;
                assertThat(a.has("paymentId"))
                        .as("a forgery names no verified payment: " + a)
                        .isFalse();
                assertThat(a.path("claimedPaymentId").asText(null))
                        .as("the payment a forgery claims: " + a)
                        .isIn(sentIds);
                assertThat(key)
                        .as("keyed by the claimed payment: " + a)
                        .isEqualTo(a.get("claimedPaymentId").asText());
                assertThat(reason).contains("claims to be about payment " + key + " (unverified)");
                assertThat(a.get("alertId").asText()).startsWith("FORGED_CALLBACK:" + key + ":kafka:");
                assertThat(a.get("notifyId").asText()).isNotEmpty();
                if (kind.equals("allowlist")) {
                    // sent from 203.0.113.(i + 1) about payment i
                    int i = Integer.parseInt(reason.replaceAll(".*203\\.0\\.113\\.(\\d+) .*", "$1")) - 1;
                    assertThat(key.replaceAll("\\D", "")).isEqualTo(String.valueOf(i));
                }
                if (kind.equals("query-hmac")) {
                    assertThat(key).isEqualTo("GOOD0");
                    assertThat(a.get("notifyId").asText()).isEqualTo("X:1:1");
                }
            } else {
                kind = type;
                assertThat(a.has("claimedPaymentId")).as(a.toString()).isFalse();
                assertThat(key)
                        .as("keyed by its verified payment: " + a)
                        .isEqualTo(a.get("paymentId").asText());
                if (type.equals("UNKNOWN_PAYMENT")) {
                    assertThat(key).isEqualTo("NO-SUCH-PAYMENT");
                } else {
                    assertThat(key).isIn(sentIds);
                }
            }
            byKind.merge(kind, 1, Integer::sum);
        }
        assertThat(byKind.keySet())
                .as("every kind of rejection, each keyed and naming its payment")
                .containsExactlyInAnyOrder(
                        "allowlist",
                        "signature",
                        "unknown-key",
                        "query-hmac",
                        "STALE_CALLBACK",
                        "AMOUNT_MISMATCH",
                        "UNKNOWN_PAYMENT");
    }

    private static CallbackEnvelope notify(
            SimulatedChannels ch, String channel, PaymentFacts f, String address, Forgery forgery) {
        Instant now = Instant.now();
        switch (channel) {
            case "WECHAT":
                return ch.wechat().notification(f, now, address, forgery);
            case "ALIPAY":
                return ch.alipay().notification(f, now, address, forgery);
            default:
                return ch.unionpay().notification(f, now, address, forgery);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, CallbackEnvelope e) {
        producer.send(new ProducerRecord<>(
                topic, e.notifyId.getBytes(StandardCharsets.UTF_8), e.toJson().getBytes(StandardCharsets.UTF_8)));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String value) {
        producer.send(new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Records no verifier can read: random bytes, cut JSON, envelopes missing what they need. */
    private static void garbage(KafkaProducer<byte[], byte[]> producer, String topic, Random r, int n) {
        for (int i = 0; i < n; i++) {
            byte[] value;
            switch (i % 4) {
                case 0:
                    value = new byte[1 + r.nextInt(300)];
                    r.nextBytes(value);
                    break;
                case 1:
                    value = ("{\"channel\":\"WECHAT\",\"sourceAddress\":\"101.226.103.1\",\"body\":\"" + i)
                            .getBytes(StandardCharsets.UTF_8);
                    break;
                case 2:
                    value =
                            ("{\"channel\":\"PAYPAL\",\"sourceAddress\":\"1.2.3.4\",\"receivedAt\":1,\"headers\":{},\"body\":\"x"
                                            + i + "\"}")
                                    .getBytes(StandardCharsets.UTF_8);
                    break;
                default:
                    value =
                            ("{\"channel\":\"WECHAT\",\"sourceAddress\":\"101.226.103.1\",\"receivedAt\":1,\"headers\":{},\"body\":\"{}"
                                            + i + "\"}")
                                    .getBytes(StandardCharsets.UTF_8);
            }
            producer.send(new ProducerRecord<>(topic, null, value));
        }
    }
}
