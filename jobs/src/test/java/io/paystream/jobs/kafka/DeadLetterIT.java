package io.paystream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.stock.StockLedgerJob;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.servers.SharedServers;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.PaymentRow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * A row that cannot be converted goes to paystream.dlq with its reason, through the dead-letter
 * output of a production job (the stock ledger), and the job keeps running.
 */
class DeadLetterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void malformedRowsLandInTheDeadLetterTopicWhileTheJobKeepsRunning() throws Exception {
        ShopDb db = ShopDb.create("dlq_it");
        String dlqTopic = "dlq-it.dlq";
        SharedServers.kafka().createTopics(Map.of(dlqTopic, 1));
        Settings settings = JobRunner.settings(
                new StockLedgerJob(),
                db.settingsArgs(
                        "--kafka.bootstrap-servers",
                        SharedServers.kafka().bootstrapServers(),
                        "--kafka.topic.dlq",
                        dlqTopic,
                        "--kafka.topic.alerts",
                        "dlq-it.alerts",
                        "--kafka.topic.order-commands",
                        "dlq-it.order-commands",
                        "--redis.uri",
                        SharedServers.redis().uri(),
                        "--redis.key-prefix",
                        "dlq-it:",
                        "--mysql.server-id",
                        "5611-5612",
                        "--checkpoint.interval",
                        "1 s",
                        "--parallelism",
                        "1"),
                Map.of());

        // The stock ledger, which reads payments among its tables, with its payment rows recorded on their way in.
        PAYMENTS.clear();
        StockLedgerJob.Inputs inputs = new StockLedgerJob.Inputs(settings);
        inputs.tapPayments(payments -> payments.map(new Record())
                .returns(payments.getType())
                .uid("record-payments")
                .name("record payments"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobRunner.define(new StockLedgerJob(), settings, env, inputs);

        // One bad row is read by the snapshot, one arrives through the binlog.
        db.exec(
                "INSERT INTO payments VALUES ('P-bad-status', 1, 'WECHAT', 1.00, 'REFUNDING', NULL, NOW(3), NOW(3))",
                "INSERT INTO payments VALUES ('P-snapshot', 2, 'WECHAT', 2.00, 'PAYING', NULL, NOW(3), NOW(3))");
        JobClient job = env.executeAsync("dlq-it");
        try (TopicReader dlq = new TopicReader(dlqTopic)) {
            Eventually.await("the snapshot", WAIT, () -> paymentIds().contains("P-snapshot"));
            db.exec("INSERT INTO payments VALUES ('P-bad-channel', 3, 'PAYPAL', 1.00, 'PAYING', NULL, NOW(3), NOW(3))");
            db.exec(
                    "INSERT INTO payments VALUES ('P-good', 4, 'UNIONPAY', 8.88, 'PAYING', NULL, NOW(3), NOW(3))",
                    "UPDATE payments SET status = 'SUCCESS' WHERE payment_id = 'P-good'");

            // The good rows after the bad ones still flow: the job did not fail or restart on them.
            Eventually.await("the good payments", WAIT, () -> PAYMENTS.size() >= 3);
            assertThat(PAYMENTS)
                    .extracting(c -> c.after.paymentId + " " + c.op + " " + c.after.status)
                    .containsExactly("P-snapshot READ PAYING", "P-good CREATE PAYING", "P-good UPDATE SUCCESS");
            assertThat(job.getJobStatus().get().isTerminalState()).isFalse();

            List<String> letters = dlq.awaitValues(2, WAIT, v -> true);
            assertThat(letters).hasSize(2);
            JsonNode status = letterAbout(letters, "P-bad-status");
            assertThat(status.get("source").asText()).isEqualTo("cdc:dlq_it.payments");
            assertThat(status.get("reason").asText()).contains("unknown status 'REFUNDING'");
            assertThat(status.get("raw").asText()).contains("REFUNDING");
            assertThat(status.get("job").asText()).isEqualTo(StockLedgerJob.NAME);
            assertThat(status.get("timeMs").asLong()).isPositive();
            JsonNode channel = letterAbout(letters, "P-bad-channel");
            assertThat(channel.get("reason").asText()).contains("unknown channel 'PAYPAL'");
            assertThat(channel.get("raw").asText()).contains("op=c");

            assertThat(job.getJobStatus().get().isTerminalState()).isFalse();
            assertThat(paymentIds()).doesNotContain("P-bad-status", "P-bad-channel");
        } finally {
            job.cancel().get();
        }
    }

    /** The payment rows the job read (tests run one at a time in their JVM). */
    private static final List<RowChange<PaymentRow>> PAYMENTS = new CopyOnWriteArrayList<>();

    private static List<String> paymentIds() {
        return PAYMENTS.stream().map(c -> c.after.paymentId).toList();
    }

    /** Records each payment row on its way into the job. */
    static final class Record implements MapFunction<RowChange<PaymentRow>, RowChange<PaymentRow>> {
        @Override
        public RowChange<PaymentRow> map(RowChange<PaymentRow> c) {
            PAYMENTS.add(c);
            return c;
        }
    }

    private static JsonNode letterAbout(List<String> letters, String paymentId) throws Exception {
        for (String l : letters) {
            JsonNode n = JSON.readTree(l);
            if (n.get("raw").asText().contains("payment_id=" + paymentId + ",")) {
                return n;
            }
        }
        throw new AssertionError("no dead letter about " + paymentId + " in " + letters);
    }
}
