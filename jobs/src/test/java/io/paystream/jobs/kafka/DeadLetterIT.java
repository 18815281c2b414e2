package io.paystream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.jobs.cdc.ShopCdcSource;
import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobEnvironment;
import io.paystream.jobs.testing.Collected;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.servers.SharedServers;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.shop.PaymentRow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** A row that cannot be converted goes to paystream.dlq with its reason, and the job keeps running. */
class DeadLetterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void malformedRowsLandInTheDeadLetterTopicWhileTheJobKeepsRunning() throws Exception {
        ShopDb db = ShopDb.create("dlq_it");
        String dlqTopic = "dlq-it.dlq";
        SharedServers.kafka().createTopics(Map.of(dlqTopic, 1));
        Settings settings = Settings.load(
                db.settingsArgs(
                        "--kafka.bootstrap-servers",
                        SharedServers.kafka().bootstrapServers(),
                        "--kafka.topic.dlq",
                        dlqTopic,
                        "--checkpoint.interval",
                        "1 s"),
                Map.of(),
                PaystreamOptions.declaredIn(PaystreamOptions.class));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, settings);
        env.setParallelism(1);
        ShopChangeStreams shop = ShopChangeStreams.read(
                env,
                ShopCdcSource.fromSettings(settings, "dlq-it", "5611-5612")
                        .tables(ShopTable.PAYMENTS)
                        .build());
        shop.deadLetters()
                .sinkTo(PaystreamKafka.deadLetterSink(settings, "dlq-it"))
                .uid("dlq-sink")
                .name("Dead letters");

        // One bad row is read by the snapshot, one arrives through the binlog.
        db.exec(
                "INSERT INTO payments VALUES ('P-bad-status', 1, 'WECHAT', 1.00, 'REFUNDING', NULL, NOW(3), NOW(3))",
                "INSERT INTO payments VALUES ('P-snapshot', 2, 'WECHAT', 2.00, 'PAYING', NULL, NOW(3), NOW(3))");
        try (Collected<RowChange<PaymentRow>> payments = Collected.start(env, shop.payments(), "dlq-it");
                TopicReader dlq = new TopicReader(dlqTopic)) {
            payments.await("the snapshot", 1, WAIT, c -> c.after.paymentId.equals("P-snapshot"));
            db.exec("INSERT INTO payments VALUES ('P-bad-channel', 3, 'PAYPAL', 1.00, 'PAYING', NULL, NOW(3), NOW(3))");
            db.exec(
                    "INSERT INTO payments VALUES ('P-good', 4, 'UNIONPAY', 8.88, 'PAYING', NULL, NOW(3), NOW(3))",
                    "UPDATE payments SET status = 'SUCCESS' WHERE payment_id = 'P-good'");

            // The good rows after the bad ones still flow: the job did not fail or restart on them.
            List<RowChange<PaymentRow>> good = payments.await("the good payments", 3, WAIT, c -> true);
            assertThat(good)
                    .extracting(c -> c.after.paymentId + " " + c.op + " " + c.after.status)
                    .containsExactly("P-snapshot READ PAYING", "P-good CREATE PAYING", "P-good UPDATE SUCCESS");
            assertThat(payments.job().getJobStatus().get().isTerminalState()).isFalse();

            List<String> letters = dlq.awaitValues(2, WAIT, v -> true);
            assertThat(letters).hasSize(2);
            JsonNode status = letterAbout(letters, "P-bad-status");
            assertThat(status.get("source").asText()).isEqualTo("cdc:dlq_it.payments");
            assertThat(status.get("reason").asText()).contains("unknown status 'REFUNDING'");
            assertThat(status.get("raw").asText()).contains("REFUNDING");
            assertThat(status.get("job").asText()).isEqualTo("dlq-it");
            assertThat(status.get("timeMs").asLong()).isPositive();
            JsonNode channel = letterAbout(letters, "P-bad-channel");
            assertThat(channel.get("reason").asText()).contains("unknown channel 'PAYPAL'");
            assertThat(channel.get("raw").asText()).contains("op=c");

            assertThat(payments.job().getJobStatus().get().isTerminalState()).isFalse();
            assertThat(payments.items())
                    .extracting(c -> c.after.paymentId)
                    .doesNotContain("P-bad-status", "P-bad-channel");
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
