package io.paystream.jobs.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.RefundFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.testing.FailOnce;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Refunds on the real stack, through the payments job that ships: refund rows by CDC from
 * {@code refunds}, genuine refund notifications of all three channels (with resends) on
 * {@code payment.callbacks}, the job failing and restarting from a checkpoint in the middle. A
 * read_committed consumer sees each refund's outcome once on {@code refund.results}; a refund the
 * channel never answers is re-queried on {@code refund.requery} and then alerted {@code
 * LOST_REFUND} once; a refund whose notification is lost is re-queried and its outcome comes from
 * the query answer (signed as the query worker signs it, on {@code payment.query-results}: first
 * PROCESSING, then SUCCESS twice), published once with {@code source=QUERY}, never LOST_REFUND;
 * refunds adding up to more than their payment are alerted once.
 */
class RefundsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant PAID = Instant.now().minusSeconds(600);

    @Test
    void publishesEachRefundOutcomeOnceAndAlertsLostAndExcessiveRefunds() throws Exception {
        ShopDb db = ShopDb.create("refunds_it");
        PaymentsJobRun run = new PaymentsJobRun(
                db,
                "refunds-it.",
                "--refunds.requery-schedule",
                "10s,12s",
                "--requery.answer-timeout",
                "3s",
                "--internal.timeout",
                "10min");
        SimulatedChannels ch = run.channels;
        db.exec(
                "INSERT INTO payments VALUES ('P-WX', 501, 'WECHAT', 100.00, 'SUCCESS', 'T-WX', NOW(3), NOW(3)),"
                        + " ('P-ALI', 502, 'ALIPAY', 50.00, 'SUCCESS', 'T-ALI', NOW(3), NOW(3)),"
                        + " ('P-UP', 503, 'UNIONPAY', 30.00, 'SUCCESS', 'T-UP', NOW(3), NOW(3))",
                // R-WX-2 is never answered: re-queried at 10 s and 12 s, LOST_REFUND at 15 s. R-UP-2's
                // notification is lost: its first re-query is answered as the query worker would.
                "INSERT INTO refunds VALUES ('R-WX-2', 'P-WX', 501, 'WECHAT', 30.00, 'REFUNDING', NULL, NOW(3), NOW(3)),"
                        + " ('R-UP-2', 'P-UP', 503, 'UNIONPAY', 5.00, 'REFUNDING', NULL, NOW(3), NOW(3))");
        RefundFacts wx1 = RefundFacts.succeeded("R-WX-1", "P-WX", "T-WX", 4000, 10000, PAID.plusSeconds(60));
        RefundFacts wx3 = RefundFacts.succeeded("R-WX-3", "P-WX", "T-WX", 7000, 10000, PAID.plusSeconds(70))
                .withRefundedTotal(11000);
        RefundFacts ali1 = RefundFacts.succeeded("R-ALI-1", "P-ALI", "T-ALI", 2000, 5000, PAID.plusSeconds(80));
        RefundFacts up1 = RefundFacts.succeeded("R-UP-1", "P-UP", "T-UP", 1000, 3000, PAID.plusSeconds(90));
        RefundFacts up2 = RefundFacts.succeeded("R-UP-2", "P-UP", "T-UP", 500, 3000, PAID.plusSeconds(100))
                .withRefundedTotal(1500);

        FailOnce.arm(PaymentsJobRun.FAILURE);
        run.start(
                "5683-5684",
                2,
                payments -> payments.map(PaymentsJobRun.failOnceOn("TRIGGER-FAILURE"))
                        .returns(payments.getType())
                        .uid("fail-once")
                        .name("fail once"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
                TopicReader results = new TopicReader(run.topic("refund-results"));
                TopicReader requeries = new TopicReader(run.topic("refund-requery"));
                TopicReader alerts = new TopicReader(run.topic("alerts"))) {
            // The unanswered refund's first re-query says the job reads the binlog; then the refunds
            // the channels answer (R-WX-1 and R-WX-3 together refund 110.00 of a 100.00 payment).
            requeries.awaitValues(1, WAIT, v -> v.contains("R-WX-2"));
            // The lost notification's refund: its first re-query answered, first "no outcome yet",
            // then SUCCESS, resent (the worker publishes at least once).
            String lostCommand = JSON.readTree(requeries.awaitValues(1, WAIT, v -> v.contains("R-UP-2")).stream()
                            .filter(v -> v.contains("R-UP-2"))
                            .findFirst()
                            .orElseThrow())
                    .get("commandId")
                    .asText();
            assertThat(lostCommand).as("its first re-query").endsWith(":1");
            answer(
                    producer,
                    run.topic("query-results"),
                    ch.queryAnswers()
                            .refundAnswer(lostCommand, "UNIONPAY", up2.withStatus("PROCESSING"), Instant.now(), false));
            for (int i = 0; i < 2; i++) {
                answer(
                        producer,
                        run.topic("query-results"),
                        ch.queryAnswers().refundAnswer(lostCommand, "UNIONPAY", up2, Instant.now(), false));
            }
            producer.flush();
            // Its outcome committed (read_committed: a checkpoint holds it) before the crash below, so
            // that this test's counts do not depend on where the crash falls. A restore to a checkpoint
            // before the answer, after its lost-refund deadline, is the restore grace's case
            // (timeouts.restore-grace): the overdue timer waits for the replayed answer; the harness
            // tests (RefundTimeoutsTest ...ReplayedWithinTheRestoreGrace...) pin that down, since a
            // 500 ms restart here rarely outlasts the deadline.
            results.awaitValues(1, WAIT, v -> v.contains("R-UP-2"));
            db.exec(
                    "INSERT INTO refunds VALUES ('R-WX-1', 'P-WX', 501, 'WECHAT', 40.00, 'REFUNDING', NULL, NOW(3), NOW(3)),"
                            + " ('R-WX-3', 'P-WX', 501, 'WECHAT', 70.00, 'REFUNDING', NULL, NOW(3), NOW(3)),"
                            + " ('R-ALI-1', 'P-ALI', 502, 'ALIPAY', 20.00, 'REFUNDING', NULL, NOW(3), NOW(3)),"
                            + " ('R-UP-1', 'P-UP', 503, 'UNIONPAY', 10.00, 'REFUNDING', NULL, NOW(3), NOW(3))");
            for (int round = 0; round < 3; round++) {
                // Every channel resends until it is answered success: each refund told three times.
                send(
                        producer,
                        run.topic("callbacks"),
                        ch.wechat().refundNotification(wx1, Instant.now(), wechat(), Forgery.NONE));
                send(
                        producer,
                        run.topic("callbacks"),
                        ch.wechat().refundNotification(wx3, Instant.now(), wechat(), Forgery.NONE));
                send(
                        producer,
                        run.topic("callbacks"),
                        ch.alipay().refundNotification(ali1, Instant.now(), alipay(), Forgery.NONE));
                send(
                        producer,
                        run.topic("callbacks"),
                        ch.unionpay().refundNotification(up1, Instant.now(), unionpay(), Forgery.NONE));
                if (round == 1) {
                    // A crash mid-stream: restart from the last checkpoint, replay what followed it.
                    db.exec(
                            "INSERT INTO payments VALUES ('TRIGGER-FAILURE', 1, 'WECHAT', 1.00, 'CREATED', NULL, NOW(3), NOW(3))");
                }
                producer.flush();
            }

            results.awaitValues(5, WAIT, v -> true);
            alerts.awaitValues(1, WAIT, v -> v.contains("LOST_REFUND"));
            alerts.awaitValues(1, WAIT, v -> v.contains("REFUND_EXCEEDS_PAYMENT"));
            List<String> outcomes = results.drain(Duration.ofSeconds(5));
            List<String> alertValues = alerts.drain(Duration.ofSeconds(2));
            List<String> commands = requeries.drain(Duration.ofSeconds(2));

            assertThat(FailOnce.hasFailed(PaymentsJobRun.FAILURE))
                    .as("the failure was injected")
                    .isTrue();
            Map<String, String> amountByRefund = new HashMap<>();
            for (String v : outcomes) {
                JsonNode o = JSON.readTree(v);
                assertThat(amountByRefund.put(
                                o.get("refundId").asText(), o.get("amount").asText()))
                        .as("each refund's outcome once across resends and a restart: %s", v)
                        .isNull();
                assertThat(o.get("status").asText()).isEqualTo("SUCCESS");
                assertThat(o.get("outcomeId").asText())
                        .isEqualTo(o.get("refundId").asText() + ":SUCCESS");
                assertThat(o.get("source").asText())
                        .as("what proved it: %s", v)
                        .isEqualTo(o.get("refundId").asText().equals("R-UP-2") ? "QUERY" : "CALLBACK");
                if (o.get("refundId").asText().equals("R-UP-2")) {
                    assertThat(o.get("channelRefundId").asText()).isEqualTo(up2.channelRefundId());
                    assertThat(o.get("refundedAt").asLong())
                            .isEqualTo(up2.refundedAt().toEpochMilli());
                }
            }
            assertThat(amountByRefund)
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "R-WX-1", "40.00", "R-WX-3", "70.00", "R-ALI-1", "20.00", "R-UP-1", "10.00", "R-UP-2",
                            "5.00"));
            assertThat(JSON.readTree(outcomes.stream()
                                    .filter(v -> v.contains("R-ALI-1"))
                                    .findFirst()
                                    .orElseThrow())
                            .get("paymentId")
                            .asText())
                    .isEqualTo("P-ALI");

            List<String> commandIds = new ArrayList<>();
            List<Integer> lostAttempts = new ArrayList<>();
            for (String v : commands) {
                JsonNode c = JSON.readTree(v);
                commandIds.add(c.get("commandId").asText());
                if (c.get("refundId").asText().equals("R-WX-2")) {
                    lostAttempts.add(c.get("attempt").asInt());
                    assertThat(c.get("paymentId").asText()).isEqualTo("P-WX");
                }
            }
            assertThat(commandIds).as("no re-query command twice").doesNotHaveDuplicates();
            assertThat(lostAttempts)
                    .as("the unanswered refund's schedule, each attempt once")
                    .containsExactlyInAnyOrder(1, 2);

            Map<String, Integer> byType = new HashMap<>();
            for (String v : alertValues) {
                JsonNode a = JSON.readTree(v);
                byType.merge(a.get("type").asText(), 1, Integer::sum);
                if (a.get("type").asText().equals("LOST_REFUND")) {
                    assertThat(a.get("refundId").asText()).isEqualTo("R-WX-2");
                    assertThat(a.get("paymentId").asText()).isEqualTo("P-WX");
                }
                if (a.get("type").asText().equals("REFUND_EXCEEDS_PAYMENT")) {
                    assertThat(a.get("paymentId").asText()).isEqualTo("P-WX");
                    assertThat(a.get("reason").asText()).contains("R-WX-1").contains("R-WX-3");
                }
            }
            assertThat(byType)
                    .as("alerts: %s", alertValues)
                    .containsExactlyInAnyOrderEntriesOf(Map.of("LOST_REFUND", 1, "REFUND_EXCEEDS_PAYMENT", 1));
        }
    }

    private static String wechat() {
        return SimulatedChannels.genuineAddress("WECHAT", 1);
    }

    private static String alipay() {
        return SimulatedChannels.genuineAddress("ALIPAY", 1);
    }

    private static String unionpay() {
        return SimulatedChannels.genuineAddress("UNIONPAY", 1);
    }

    /** A query answer on {@code payment.query-results}, keyed by payment id as the query worker keys it. */
    private static void answer(KafkaProducer<byte[], byte[]> producer, String topic, String envelope) throws Exception {
        String paymentId = JSON.readTree(JSON.readTree(envelope).get("payload").asText())
                .get("paymentId")
                .asText();
        producer.send(new ProducerRecord<>(
                topic, paymentId.getBytes(StandardCharsets.UTF_8), envelope.getBytes(StandardCharsets.UTF_8)));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, CallbackEnvelope e) {
        producer.send(new ProducerRecord<>(
                topic, e.notifyId.getBytes(StandardCharsets.UTF_8), e.toJson().getBytes(StandardCharsets.UTF_8)));
    }
}
