package io.paystream.functions.refunds;

import static io.paystream.functions.testing.RefundFixtures.refund;
import static io.paystream.functions.testing.RefundFixtures.refundNotice;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.RefundFixture;
import io.paystream.functions.testing.RefundNotificationFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundOutcome;
import io.paystream.state.refunds.RefundPhase;
import io.paystream.state.refunds.RefundRequeryCommand;
import io.paystream.state.refunds.RefundWatch;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.RefundRow;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefundTimeoutsTest {
    private static final long T0 = 1_000_000L;
    private static final long RETENTION = 600_000L;
    private static final long ROW_WAIT = 60_000L;
    private static final long RESTORE_GRACE = 5_000L;

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, RowChange<RefundRow>, RefundNotification, RefundRequeryCommand>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aRefundStuckInRefundingIsRequeriedOnScheduleThenAlertedLost() throws Exception {
        harness.setProcessingTime(T0 + 1_500); // the row reached the job 1.5 s after its commit
        row(refund("R1")
                .ofPayment("P1")
                .refunding()
                .channelRefundId("CR-1")
                .at(T0)
                .version(10));

        // Nothing else arrives: only the clock moves.
        harness.setProcessingTime(T0 + 9_999);
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + 10_000);
        harness.setProcessingTime(T0 + 20_000);
        harness.setProcessingTime(T0 + 30_000);
        assertThat(commands())
                .as("ids from the refund, the binlog version of its REFUNDING row and the attempt")
                .extracting(c -> c.commandId + "@" + c.dueAt)
                .containsExactly("R1:10:1@1010000", "R1:10:2@1020000", "R1:10:3@1030000");
        RefundRequeryCommand last = commands().get(2);
        assertThat(last.refundId).isEqualTo("R1");
        assertThat(last.paymentId).isEqualTo("P1");
        assertThat(last.orderId).isEqualTo(7);
        assertThat(last.channel).isEqualTo("ALIPAY");
        assertThat(last.channelRefundId).isEqualTo("CR-1");
        assertThat(last.attempt).isEqualTo(3);
        assertThat(last.maxAttempts).isEqualTo(3);
        assertThat(last.refundingSince).isEqualTo(T0);
        assertThat(last.emittedAt).isEqualTo(T0 + 30_000);
        assertThat(last.kafkaKey()).isEqualTo("R1");

        // The channel answers, but knows no outcome yet: counted, the schedule goes on.
        notify(refundNotice("R1").processing().byQuery());
        assertThat(watch("R1").answersWithoutOutcome).isEqualTo(1);
        assertThat(alerts()).isEmpty();

        harness.setProcessingTime(T0 + 39_999);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 40_000);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.LOST_REFUND);
            assertThat(a.alertId).isEqualTo("LOST_REFUND:R1:10");
            assertThat(a.refundId).isEqualTo("R1");
            assertThat(a.paymentId).isEqualTo("P1");
            assertThat(a.kafkaKey()).as("keyed by the refunded payment").isEqualTo("P1");
            assertThat(a.amount).isEqualTo("10.00");
            assertThat(a.orderId).isEqualTo(7L);
            assertThat(a.reason).contains("refund re-query 3 of 3");
        });
        assertThat(outcomes()).isEmpty();

        // It stopped: nothing more, and once the marker's retention is over nothing is left.
        harness.setProcessingTime(T0 + 40_000 + RETENTION);
        assertThat(commands()).hasSize(3);
        assertThat(alerts()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void aVerifiedRefundSuccessIsPublishedOnceAndItsResendDropped() throws Exception {
        harness.setProcessingTime(T0);
        row(refund("R1").ofPayment("P1").refunding().at(T0).version(10));
        harness.setProcessingTime(T0 + 5_000);
        notify(refundNotice("R1").ofPayment("P1").success().byCallback());

        assertThat(outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcomeId).isEqualTo("R1:SUCCESS");
            assertThat(o.refundId).isEqualTo("R1");
            assertThat(o.paymentId).isEqualTo("P1");
            assertThat(o.orderId).isEqualTo(7);
            assertThat(o.channel).isEqualTo("ALIPAY");
            assertThat(o.status).isEqualTo("SUCCESS");
            assertThat(o.amount).isEqualTo("10.00");
            assertThat(o.channelRefundId).isEqualTo("CR-R1");
            assertThat(o.refundedAt).isEqualTo(1_000_500L);
            assertThat(o.source).isEqualTo(RefundNotification.CALLBACK);
            assertThat(o.verifiedAt).isEqualTo(T0 + 5_000);
        });
        assertThat(harness.numProcessingTimeTimers())
                .as("the schedule ended: only the remembered refund's timer is left")
                .isEqualTo(1);

        // The channel resends; a re-query answer says the same; a late FAILED copy comes after it.
        harness.setProcessingTime(T0 + 6_000);
        notify(refundNotice("R1").ofPayment("P1").success().byCallback());
        notify(refundNotice("R1").ofPayment("P1").success().byQuery());
        notify(refundNotice("R1").ofPayment("P1").failed().byCallback());
        assertThat(outcomes()).as("published once").hasSize(1);

        // The payment center writes the outcome to the row; nothing more is due.
        harness.setProcessingTime(T0 + 7_000);
        row(refund("R1").ofPayment("P1").succeeded().at(T0 + 6_500).version(11));
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        assertThat(alerts()).isEmpty();
        assertThat(outcomes()).hasSize(1);

        harness.setProcessingTime(T0 + 7_000 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void aNotificationBeforeItsRowWaitsForIt() throws Exception {
        harness.setProcessingTime(T0);
        // UnionPay names the refund and the channel's payment id, not the shop's payment.
        notify(refundNotice("R1").via(PaymentChannel.UNIONPAY).namingNoPayment().success());
        // Another refund's notification whose row never comes.
        notify(refundNotice("R2").ofPayment("P2").success());
        assertThat(outcomes()).as("nothing is published before its row").isEmpty();
        assertThat(watch("R1").phase).isEqualTo(RefundPhase.AWAITING_ROW);

        harness.setProcessingTime(T0 + 30_000);
        row(refund("R1")
                .ofPayment("P1")
                .via(PaymentChannel.UNIONPAY)
                .refunding()
                .at(T0 - 1_000)
                .version(10));
        assertThat(outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcomeId).isEqualTo("R1:SUCCESS");
            assertThat(o.paymentId).as("the payment from the refund row").isEqualTo("P1");
        });

        // R2's wait is over: alerted, and kept in case its row is only late.
        harness.setProcessingTime(T0 + ROW_WAIT);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.UNKNOWN_REFUND);
            assertThat(a.refundId).isEqualTo("R2");
            assertThat(a.paymentId).isEqualTo("P2");
            assertThat(a.kafkaKey()).isEqualTo("P2");
        });
        assertThat(watch("R2").unknownRefundAlerted).isTrue();

        harness.setProcessingTime(T0 + 30_000 + RETENTION);
        assertThat(commands())
                .as("R1's outcome came before its schedule could run")
                .isEmpty();
        assertThat(alerts()).as("one alert per notification").hasSize(1);
        assertNothingLeft();
    }

    @Test
    void aLateRowOfAnAlertedNotificationStillPublishesItsOutcome() throws Exception {
        harness.setProcessingTime(T0);
        notify(refundNotice("R1").success());
        harness.setProcessingTime(T0 + ROW_WAIT);
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.type).isEqualTo(Alert.UNKNOWN_REFUND));

        // The binlog reader was stalled: the row comes minutes late.
        harness.setProcessingTime(T0 + 300_000);
        row(refund("R1").refunding().at(T0 - 1_000).version(10));
        assertThat(outcomes()).hasSize(1);
        harness.setProcessingTime(T0 + 300_000 + RETENTION);
        assertThat(commands()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void replayedRowsAfterARestoreChangeNothing() throws Exception {
        RefundFixture refunding =
                refund("R1").ofPayment("P1").refunding().at(T0).version(10);
        harness.setProcessingTime(T0);
        row(refund("R1").ofPayment("P1").created().at(T0 - 2_000).version(9));
        row(refunding);
        harness.setProcessingTime(T0 + 5_000);
        OperatorSubtaskState beforeTheFirstRequery = harness.snapshot(1L, T0 + 5_000);
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("R1:10:1");
        harness.close();

        // Restored from the checkpoint before re-query 1: the CDC source replays what it had read since.
        harness = newHarness();
        harness.setProcessingTime(T0 + 10_000);
        harness.initializeState(beforeTheFirstRequery);
        harness.open();
        row(refund("R1").ofPayment("P1").created().at(T0 - 2_000).version(9));
        row(refunding);
        harness.setProcessingTime(T0 + 10_001);
        assertThat(commands()).as("held for the restore grace").isEmpty();
        harness.setProcessingTime(T0 + 10_000 + RESTORE_GRACE);
        assertThat(commands())
                .as("the same command again, with the same id: the query worker dedupes it")
                .extracting(c -> c.commandId)
                .containsExactly("R1:10:1");

        harness.setProcessingTime(T0 + 20_000);
        // Replayed once more mid-schedule, the CREATED row before it too: no schedule starts over.
        row(refund("R1").ofPayment("P1").created().at(T0 - 2_000).version(9));
        row(refunding);
        harness.setProcessingTime(T0 + 20_001);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("R1:10:1", "R1:10:2");

        // The refund succeeds; replays of every earlier row after that change nothing.
        harness.setProcessingTime(T0 + 25_000);
        notify(refundNotice("R1").ofPayment("P1").success().byQuery());
        row(refund("R1").ofPayment("P1").succeeded().at(T0 + 24_000).version(11));
        OperatorSubtaskState settled = harness.snapshot(2L, T0 + 25_000);
        harness.close();

        harness = newHarness();
        harness.setProcessingTime(T0 + 26_000);
        harness.initializeState(settled);
        harness.open();
        row(refund("R1").ofPayment("P1").created().at(T0 - 2_000).version(9));
        row(refunding);
        row(refund("R1").ofPayment("P1").succeeded().at(T0 + 24_000).version(11));
        notify(refundNotice("R1").ofPayment("P1").success().byCallback());
        harness.setProcessingTime(T0 + 120_000);
        assertThat(commands()).as("no schedule restarted").isEmpty();
        assertThat(outcomes()).as("no outcome again").isEmpty();
        assertThat(alerts()).isEmpty();
        assertThat(watch("R1").version).isEqualTo(11);

        harness.setProcessingTime(T0 + 26_000 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void aQueryAnswerReplayedWithinTheRestoreGraceEndsTheRefundWithoutALostRefund() throws Exception {
        harness.setProcessingTime(T0);
        row(refund("R1").ofPayment("P1").refunding().at(T0).version(10));
        harness.setProcessingTime(T0 + 30_000);
        assertThat(commands()).hasSize(3);
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + 35_000);
        // After the checkpoint, before LOST_REFUND's deadline (40 s): the channel's answer to the last
        // re-query. Its outcome was never committed: the job crashed before the next checkpoint.
        harness.setProcessingTime(T0 + 36_000);
        notify(refundNotice("R1").ofPayment("P1").success().byQuery());

        // Back a minute later, the deadline long passed: the overdue timer fires at once and waits.
        restore(checkpoint, T0 + 100_000);
        harness.setProcessingTime(T0 + 101_000);
        assertThat(alerts()).as("no conclusion before the replay").isEmpty();
        notify(refundNotice("R1").ofPayment("P1").success().byQuery()); // the replayed answer
        harness.setProcessingTime(T0 + 100_000 + RESTORE_GRACE);

        assertThat(outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcomeId).isEqualTo("R1:SUCCESS");
            assertThat(o.source).isEqualTo(RefundNotification.QUERY);
        });
        assertThat(alerts()).as("no LOST_REFUND next to the outcome").isEmpty();
        assertThat(commands()).isEmpty();
        assertThat(watch("R1").phase).isEqualTo(RefundPhase.REMEMBERED);
        harness.setProcessingTime(T0 + 101_000 + RETENTION);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void anOverdueLostRefundStillComesAfterTheRestoreGraceWhenNoAnswerIsReplayed() throws Exception {
        harness.setProcessingTime(T0);
        row(refund("R1").ofPayment("P1").refunding().at(T0).version(10));
        harness.setProcessingTime(T0 + 30_000);
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + 35_000);

        restore(checkpoint, T0 + 100_000);
        harness.setProcessingTime(T0 + 100_000 + RESTORE_GRACE - 1);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 100_000 + RESTORE_GRACE);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.LOST_REFUND);
            assertThat(a.alertId).isEqualTo("LOST_REFUND:R1:10");
        });
        assertThat(commands())
                .as("the re-queries had all gone out before the checkpoint")
                .isEmpty();
        assertThat(outcomes()).isEmpty();
        harness.setProcessingTime(T0 + 105_000 + RETENTION);
        assertThat(alerts()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void aNotificationThatTheRowRefutesIsRejected() throws Exception {
        harness.setProcessingTime(T0);
        row(refund("R1").ofPayment("P1").amountCents(1_000).refunding().at(T0).version(10));
        notify(refundNotice("R1").ofPayment("P1").amountCents(1_001).success());
        notify(refundNotice("R1").ofPayment("P9").success());
        notify(refundNotice("R1").via(PaymentChannel.WECHAT).success());
        assertThat(outcomes()).isEmpty();
        assertThat(alerts())
                .extracting(a -> a.type + " " + a.paymentId)
                .containsExactly("AMOUNT_MISMATCH P1", "FORGED_CALLBACK P1", "FORGED_CALLBACK P1");
        assertThat(alerts().get(0).reason).isEqualTo("ALIPAY says refund R1 is 10.01, the refund is for 10.00");

        // A smaller amount is what the channel refunded; no amount at all (Alipay) is the row's.
        notify(refundNotice("R1").ofPayment("P1").amountCents(900).success());
        assertThat(outcomes())
                .singleElement()
                .satisfies(o -> assertThat(o.amount).isEqualTo("9.00"));
        notify(refundNotice("R2").statingNoAmount().success());
        row(refund("R2").amountCents(2_500).refunding().at(T0).version(12));
        assertThat(outcomes()).extracting(o -> o.amount).containsExactly("9.00", "25.00");

        harness.setProcessingTime(T0 + RETENTION);
        assertThat(commands()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void aFailedRefundRetriedGetsAFreshScheduleAndItsSuccessIsANewFact() throws Exception {
        harness.setProcessingTime(T0);
        row(refund("R1").refunding().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        notify(refundNotice("R1").failed());
        row(refund("R1").failed().at(T0 + 11_000).version(11));

        // The merchant sends the money another way: the refund is REFUNDING again.
        harness.setProcessingTime(T0 + 50_000);
        row(refund("R1").refunding().at(T0 + 50_000).version(12));
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("R1:10:1", "R1:12:1");
        notify(refundNotice("R1").success());
        assertThat(outcomes()).extracting(o -> o.outcomeId).containsExactly("R1:FAILED", "R1:SUCCESS");

        // A REFUNDING row that arrives after the outcome starts nothing either.
        row(refund("R1").refunding().at(T0 + 55_000).version(13));
        harness.setProcessingTime(T0 + 200_000);
        assertThat(commands()).hasSize(2);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 60_000 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void aDeletedRowEndsItsSchedule() throws Exception {
        harness.setProcessingTime(T0);
        RefundFixture refunding = refund("R1").refunding().at(T0).version(10);
        row(refunding);
        row(refunding.deleted(11));
        harness.setProcessingTime(T0 + 100_000);
        assertThat(commands()).isEmpty();
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    /** The job crashed: a new harness restores {@code snapshot} at {@code now}, as a restart would. */
    private void restore(OperatorSubtaskState snapshot, long now) throws Exception {
        harness.close();
        harness = newHarness();
        harness.setProcessingTime(now);
        harness.initializeState(snapshot);
        harness.open();
    }

    private RefundWatch watch(String refundId) throws Exception {
        return Harnesses.valueState(harness, refundId, RefundTimeouts.WATCH_STATE, RefundWatch.class);
    }

    private void assertNothingLeft() {
        Harnesses.assertNothingLeft(harness);
    }

    private List<RefundRequeryCommand> commands() {
        return harness.extractOutputValues();
    }

    private List<RefundOutcome> outcomes() {
        return Harnesses.sideOutput(harness, RefundTimeouts.OUTCOMES);
    }

    private List<Alert> alerts() {
        return Harnesses.sideOutput(harness, RefundTimeouts.ALERTS);
    }

    static KeyedTwoInputStreamOperatorTestHarness<
                    String, RowChange<RefundRow>, RefundNotification, RefundRequeryCommand>
            newHarness() throws Exception {
        RefundTimeouts fn = RefundTimeouts.builder()
                .requerySchedule("10s,20s,30s")
                .answerTimeout(Duration.ofSeconds(10))
                .rememberFor(Duration.ofMillis(RETENTION))
                .rowWait(Duration.ofMillis(ROW_WAIT))
                .safetyTtl(Duration.ofDays(3))
                .restoreGrace(Duration.ofMillis(RESTORE_GRACE))
                .build();
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn), c -> c.row().refundId, n -> n.refundId, Types.STRING);
    }

    private void row(RefundFixture refund) throws Exception {
        harness.processElement1(new StreamRecord<>(refund.change()));
    }

    private void row(RowChange<RefundRow> change) throws Exception {
        harness.processElement1(new StreamRecord<>(change));
    }

    private void notify(RefundNotificationFixture notification) throws Exception {
        harness.processElement2(new StreamRecord<>(notification.build()));
    }
}
