package io.paystream.jobs.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.functions.testing.FailOnce;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.jobs.tools.ReconcileOneDay;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation on the real stack, through the job that ships: the shop's payments and refunds by
 * CDC from MariaDB, WeChat Pay and Alipay bills arriving in a directory day after day, the job
 * failing and restarting from a checkpoint in the middle, and a bill dropped again under another
 * directory. A read_committed consumer sees every finding once on {@code payment.reconciliation}:
 * each class (MATCHED, CHANNEL_ONLY, LOCAL_ONLY after the pending days' bills, AMOUNT_MISMATCH,
 * STATUS_MISMATCH) and the summary mismatch, their alerts, the re-notification of a charge whose row
 * is still PAYING, and the garbled line as a dead letter naming file and line.
 */
class ReconciliationIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "reconcile-it.";
    private static final String FAILURE = "reconciliation-it";

    @Test
    void everyBillLineIsReconciledOnceAcrossARestartAndARereadBill() throws Exception {
        ShopDb db = ShopDb.create("reconcile_it");
        // The shop's day 2026-11-28 (Beijing time, as the bills): payments, a refund.
        db.exec(
                "SET time_zone = '+08:00'",
                "INSERT INTO payments VALUES"
                        + " ('P-MATCH', 1, 'WECHAT', 100.00, 'SUCCESS', 'T1', '2026-11-28 09:00:00', '2026-11-28 09:00:05'),"
                        + " ('P-AMOUNT', 2, 'WECHAT', 49.00, 'SUCCESS', 'T2', '2026-11-28 10:00:00', '2026-11-28 10:00:05'),"
                        + " ('P-PAYING', 3, 'WECHAT', 30.00, 'PAYING', NULL, '2026-11-28 11:00:00', '2026-11-28 11:00:00'),"
                        + " ('P-REVOKED', 4, 'WECHAT', 20.00, 'SUCCESS', 'T4', '2026-11-28 12:00:00', '2026-11-28 12:00:05'),"
                        + " ('P-LOCAL', 5, 'WECHAT', 10.00, 'SUCCESS', 'T5', '2026-11-28 13:00:00', '2026-11-28 13:00:05'),"
                        + " ('P-ALI', 6, 'ALIPAY', 88.00, 'SUCCESS', 'A6', '2026-11-28 14:00:00', '2026-11-28 14:00:05'),"
                        + " ('P-ALI-CLOSED', 7, 'ALIPAY', 5.00, 'CLOSED', NULL, '2026-11-28 15:00:00', '2026-11-28 15:30:00'),"
                        + " ('P-OLD', 8, 'WECHAT', 1.00, 'SUCCESS', 'T8', '2025-01-01 09:00:00', '2025-01-01 09:00:05')",
                "INSERT INTO refunds VALUES ('R-MATCH', 'P-MATCH', 1, 'WECHAT', 10.00, 'SUCCESS', 'WR1',"
                        + " '2026-11-28 16:00:00', '2026-11-28 16:00:05')");
        Path bills = ScratchDirectories.create("reconcile-it-bills");
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String t : new String[] {"reconciliation", "alerts", "order-commands", "dlq"}) {
            topics.put(PREFIX + t, 2);
        }
        SharedServers.kafka().createTopics(topics);
        List<String> args = new ArrayList<>(List.of(db.settingsArgs(
                "--kafka.bootstrap-servers", SharedServers.kafka().bootstrapServers(),
                "--kafka.group-prefix", PREFIX + "group",
                "--checkpoint.interval", "500 ms",
                "--restart.delay", "500 ms",
                "--mysql.server-id", "5690-5691",
                "--parallelism", "2",
                "--reconcile.bills.path", bills.toString(),
                "--reconcile.bills.monitor-interval", "500 ms",
                "--reconcile.first-day", "2026-11-28",
                // The shop's rows may come after the bill's lines (the snapshot is read while the first
                // bills are): a discrepancy must still stand this long before it is published.
                "--reconcile.shop-wait", "20 s")));
        for (String t : topics.keySet()) {
            args.add("--kafka.topic." + t.substring(PREFIX.length()));
            args.add(t);
        }
        Settings settings = JobRunner.settings(new ReconciliationJob(), args.toArray(new String[0]), Map.of());
        ReconciliationJob.Inputs inputs = new ReconciliationJob.Inputs(settings);
        FailOnce.arm(FAILURE);
        inputs.tapPayments(rows -> rows.map(
                        new FailOnce<RowChange<PaymentRow>>(FAILURE, c -> "TRIGGER-FAILURE".equals(c.row().paymentId)))
                .returns(rows.getType())
                .uid("fail-once")
                .name("fail once"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobRunner.define(new ReconciliationJob(), settings, env, inputs);
        JobClient job = env.executeAsync(PREFIX + "job");
        try (TopicReader findings = new TopicReader(PREFIX + "reconciliation");
                TopicReader alerts = new TopicReader(PREFIX + "alerts");
                TopicReader commands = new TopicReader(PREFIX + "order-commands");
                TopicReader dlq = new TopicReader(PREFIX + "dlq")) {
            // Day 1's bills: every class but LOCAL_ONLY, a wrong total, a garbled line.
            new TestBills.Wechat()
                    .paid("2026-11-28 09:00:05", "P-MATCH", "T1", "100.00", "SUCCESS")
                    .paid("2026-11-28 10:00:05", "P-AMOUNT", "T2", "50.00", "SUCCESS")
                    .paid("2026-11-28 11:00:09", "P-PAYING", "T3", "30.00", "SUCCESS")
                    .paid("2026-11-28 12:00:05", "P-REVOKED", "T4", "20.00", "REVOKED")
                    .paid("2026-11-28 17:00:00", "P-GHOST", "T9", "7.00", "SUCCESS")
                    .refunded("2026-11-28 16:00:05", "P-MATCH", "T1", "R-MATCH", "10.00")
                    .garbled("`2026-11-28 18:00:00,`oops")
                    .statesAWrongTotal()
                    .writeTo(bills, "2026-11-28");
            new TestBills.Alipay()
                    .paid("2026-11-28 14:00:05", "P-ALI", "A6", "88.00")
                    .paid("2026-11-28 15:10:00", "P-ALI-CLOSED", "A7", "5.00")
                    .writeTo(bills, "2026-11-28");
            findings.awaitValues(9, WAIT, v -> true);

            // A failure and a restart from the last checkpoint, then the following days' bills: the
            // last one (the third day after) ends P-LOCAL's hold.
            db.exec(
                    "INSERT INTO payments VALUES ('TRIGGER-FAILURE', 9, 'UNIONPAY', 1.00, 'PAYING', NULL, NOW(3), NOW(3))");
            for (String day : List.of("2026-11-29", "2026-11-30", "2026-12-01")) {
                new TestBills.Wechat().writeTo(bills, day);
                new TestBills.Alipay().writeTo(bills, day);
            }
            findings.awaitValues(10, WAIT, v -> true);
            assertThat(FailOnce.hasFailed(FAILURE))
                    .as("the job failed and restarted")
                    .isTrue();

            // Day 1's WeChat bill again, as another download in a sub-directory: nothing new.
            Files.createDirectories(bills.resolve("again"));
            Files.copy(
                    bills.resolve("WECHAT_2026-11-28.csv"),
                    bills.resolve("again/.WECHAT_2026-11-28.csv"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                    bills.resolve("again/.WECHAT_2026-11-28.csv"),
                    bills.resolve("again/WECHAT_2026-11-28.csv"),
                    StandardCopyOption.ATOMIC_MOVE);
            List<String> all = findings.drain(Duration.ofSeconds(8));

            Map<String, String> classOf = new LinkedHashMap<>();
            for (String v : all) {
                JsonNode n = JSON.readTree(v);
                String subject = n.hasNonNull("refundId")
                        ? n.get("refundId").asText()
                        : n.hasNonNull("paymentId")
                                ? n.get("paymentId").asText()
                                : n.get("figure").asText();
                assertThat(classOf.put(
                                n.get("id").asText(),
                                subject + " " + n.get("findingClass").asText()))
                        .as("published once: " + v)
                        .isNull();
            }
            assertThat(classOf.values())
                    .containsExactlyInAnyOrder(
                            "P-MATCH MATCHED",
                            "R-MATCH MATCHED",
                            "P-AMOUNT AMOUNT_MISMATCH",
                            "P-PAYING CHANNEL_ONLY",
                            "P-REVOKED STATUS_MISMATCH",
                            "P-GHOST CHANNEL_ONLY",
                            "P-ALI MATCHED",
                            "P-ALI-CLOSED STATUS_MISMATCH",
                            "paymentSettledFen SUMMARY_MISMATCH",
                            "P-LOCAL LOCAL_ONLY");
            assertThat(all)
                    .as("the summary mismatch names the figure")
                    .anySatisfy(v -> assertThat(v)
                            .contains("\"id\":\"recon-summary:WECHAT:2026-11-28:paymentSettledFen\"")
                            .contains("\"stated\":20800")
                            .contains("\"computed\":20700"));

            List<String> alertTypes = new ArrayList<>();
            for (String v : alerts.drain(Duration.ofSeconds(1))) {
                alertTypes.add(JSON.readTree(v).get("type").asText());
            }
            assertThat(alertTypes)
                    .containsExactlyInAnyOrder(
                            "RECONCILE_AMOUNT_MISMATCH",
                            "RECONCILE_CHANNEL_ONLY",
                            "RECONCILE_STATUS_MISMATCH",
                            "RECONCILE_CHANNEL_ONLY",
                            "RECONCILE_STATUS_MISMATCH",
                            "RECONCILE_SUMMARY_MISMATCH",
                            "RECONCILE_LOCAL_ONLY");
            assertThat(commands.drain(Duration.ofSeconds(1))).singleElement().satisfies(v -> {
                JsonNode c = JSON.readTree(v);
                assertThat(c.get("commandId").asText()).isEqualTo("RENOTIFY_BUSINESS:P-PAYING:bill:2026-11-28");
                assertThat(c.get("orderId").asLong()).isEqualTo(3);
                assertThat(c.get("channelTxnId").asText()).isEqualTo("T3");
                assertThat(c.get("amount").asText()).isEqualTo("30.00");
            });
            assertThat(dlq.drain(Duration.ofSeconds(1)))
                    .as(
                            "the garbled line, by file and line (again from the re-read copy: dead letters are at least once)")
                    .isNotEmpty()
                    .allSatisfy(v -> assertThat(v).contains("bill:WECHAT_2026-11-28.csv:8"));
        } finally {
            job.cancel().get();
        }

        // The same day as a bounded check (deploy/reconcile): its last word per payment and refund.
        ReconcileOneDay.Report day = ReconcileOneDay.run(
                PaymentChannel.WECHAT,
                "2026-11-28",
                bills.resolve("WECHAT_2026-11-28.csv"),
                db.settingsArgs("--mysql.server-id", "5692-5693", "--parallelism", "1"));
        assertThat(day.findings())
                .extracting(f -> (f.refundId != null ? f.refundId : f.paymentId) + " " + f.findingClass)
                .containsExactlyInAnyOrder(
                        "P-MATCH MATCHED",
                        "R-MATCH MATCHED",
                        "P-AMOUNT AMOUNT_MISMATCH",
                        "P-PAYING CHANNEL_ONLY",
                        "P-REVOKED STATUS_MISMATCH",
                        "P-GHOST CHANNEL_ONLY",
                        "P-LOCAL LOCAL_ONLY");
        assertThat(day.summaryMismatches())
                .singleElement()
                .satisfies(m -> assertThat(m.figure).isEqualTo("paymentSettledFen"));
        assertThat(day.deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.source).isEqualTo("bill:WECHAT_2026-11-28.csv:8"));
        assertThat(day.allMatched()).isFalse();
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        ReconcileOneDay.print(day, new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("MATCHED 2")
                .contains("CHANNEL_ONLY     payment P-PAYING")
                .contains("LOCAL_ONLY")
                .contains("pending: a bill up to 2026-12-01 may still carry it")
                .contains("discrepancies found");
    }
}
