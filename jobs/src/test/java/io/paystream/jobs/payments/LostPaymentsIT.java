package io.paystream.jobs.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.functions.testing.FailOnce;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;

/**
 * The payments job's lost-payment checks on the real stack: rows written to MariaDB, commands and alerts read back
 * with a read_committed consumer, across an injected failure and restart from a checkpoint.
 */
class LostPaymentsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fails the job once, when the trigger row passes; a restart from the last checkpoint follows. */
    @Test
    void emitsEachCommandAndAlertExactlyOnceAcrossAFailureAndRestart() throws Exception {
        ShopDb db = ShopDb.create("lost_it");
        PaymentsJobRun run = new PaymentsJobRun(
                db,
                "lost-it.",
                "--requery.schedule",
                "3s,20s,22s",
                "--requery.answer-timeout",
                "3s",
                "--internal.timeout",
                "3s",
                "--internal.schedule",
                "10s",
                "--internal.give-up-after",
                "3s");
        String prefix = run.prefix;
        FailOnce.arm(PaymentsJobRun.FAILURE);
        JobClient client = run.start(
                "5621-5622",
                2,
                payments -> payments.map(PaymentsJobRun.failOnceOn("TRIGGER-FAILURE"))
                        .returns(payments.getType())
                        .uid("fail-once")
                        .name("fail once"));
        try (TopicReader requery = new TopicReader(prefix + "requery");
                TopicReader alerts = new TopicReader(prefix + "alerts");
                TopicReader commands = new TopicReader(prefix + "order-commands")) {
            // LOST: paying, never heard of again. RECOVERED: succeeds after the first re-query
            // (attempt 2 is due 17 s later: room for the restart to replay its success first, also on
            // a loaded machine; at 7 s a CI run with parallel builds once saw RECOVERED:2).
            // UNPAID-ORDER: succeeds at once, but its order is never marked PAID. FIXED: same,
            // but the order turns PAID after the first re-notification (the second is due 10 s later).
            db.exec(
                    "INSERT INTO orders VALUES (1, 10, 'CREATED', 35.50, NULL, NULL, NOW(3), NOW(3))",
                    "INSERT INTO orders VALUES (2, 10, 'CREATED', 12.00, NULL, NULL, NOW(3), NOW(3))",
                    "INSERT INTO orders VALUES (3, 11, 'CREATED', 8.80, NULL, NULL, NOW(3), NOW(3))",
                    "INSERT INTO orders VALUES (4, 12, 'CREATED', 9.90, NULL, NULL, NOW(3), NOW(3))");
            db.exec(
                    "INSERT INTO payments VALUES ('LOST', 1, 'WECHAT', 35.50, 'PAYING', NULL, NOW(3), NOW(3))",
                    "INSERT INTO payments VALUES ('RECOVERED', 2, 'ALIPAY', 12.00, 'PAYING', NULL, NOW(3), NOW(3))",
                    "INSERT INTO payments VALUES ('UNPAID-ORDER', 3, 'UNIONPAY', 8.80, 'SUCCESS', 'UP3', NOW(3), NOW(3))",
                    "INSERT INTO payments VALUES ('FIXED', 4, 'WECHAT', 9.90, 'SUCCESS', 'WX4', NOW(3), NOW(3))");

            requery.awaitValues(1, WAIT, v -> v.contains("\"paymentId\":\"RECOVERED\""));
            db.exec(
                    "UPDATE payments SET status = 'SUCCESS', channel_txn_id = 'AL2' WHERE payment_id = 'RECOVERED'",
                    "UPDATE orders SET status = 'PAID' WHERE order_id = 2");
            // A crash in the middle: the job restarts from its last checkpoint and replays from there.
            db.exec(
                    "INSERT INTO payments VALUES ('TRIGGER-FAILURE', 99, 'WECHAT', 1.00, 'CREATED', NULL, NOW(3), NOW(3))");
            commands.awaitValues(1, WAIT, v -> v.contains("\"paymentId\":\"FIXED\""));
            db.exec("UPDATE orders SET status = 'PAID' WHERE order_id = 4");

            List<String> alertValues = alerts.awaitValues(2, WAIT, v -> true);
            requery.awaitValues(3, WAIT, v -> v.contains("\"paymentId\":\"LOST\""));
            // Let anything that would be a duplicate or a late extra arrive before judging.
            alertValues = alerts.drain(Duration.ofSeconds(8));
            List<String> requeryValues = requery.drain(Duration.ofSeconds(1));
            List<String> commandValues = commands.drain(Duration.ofSeconds(1));

            assertThat(FailOnce.hasFailed(PaymentsJobRun.FAILURE))
                    .as("the failure was injected")
                    .isTrue();
            for (var r : alerts.records()) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .as("alerts keyed by payment")
                        .isEqualTo(JSON.readTree(r.value()).get("paymentId").asText());
            }
            for (var r : requery.records()) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo(JSON.readTree(r.value()).get("paymentId").asText());
            }
            for (var r : commands.records()) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo(JSON.readTree(r.value()).get("orderId").asText());
            }
            assertThat(ids(requeryValues, "commandId"))
                    .containsExactlyInAnyOrder("LOST:1", "LOST:2", "LOST:3", "RECOVERED:1");
            assertThat(ids(alertValues, "alertId"))
                    .containsExactlyInAnyOrder("LOST_PAYMENT_EXTERNAL:LOST", "LOST_PAYMENT_INTERNAL:UNPAID-ORDER");
            assertThat(ids(commandValues, "commandId"))
                    .containsExactlyInAnyOrder(
                            "RENOTIFY_BUSINESS:UNPAID-ORDER:1",
                            "RENOTIFY_BUSINESS:UNPAID-ORDER:2",
                            "RENOTIFY_BUSINESS:FIXED:1");
            JsonNode lost = JSON.readTree(alertValues.stream()
                    .filter(v -> v.contains("EXTERNAL"))
                    .findFirst()
                    .orElseThrow());
            assertThat(lost.get("paymentId").asText()).isEqualTo("LOST");
            assertThat(lost.get("orderId").asLong()).isEqualTo(1);
            assertThat(lost.get("channel").asText()).isEqualTo("WECHAT");
            assertThat(lost.get("amount").asText()).isEqualTo("35.50");
            JsonNode renotify = JSON.readTree(commandValues.get(0));
            assertThat(renotify.get("type").asText()).isEqualTo("RENOTIFY_BUSINESS");
            assertThat(renotify.has("channelTxnId")).isTrue();
        } finally {
            client.cancel().get();
        }
    }

    /** Ids with the per-run timestamp part dropped: {@code LOST:1700000000000:2} becomes {@code LOST:2}. */
    private static List<String> ids(List<String> values, String field) throws Exception {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            String id = JSON.readTree(v).get(field).asText();
            out.add(id.replaceAll(":\\d{13}", ""));
        }
        return out;
    }
}
