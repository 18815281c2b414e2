package io.paystream.functions.payments;

import static io.paystream.functions.testing.Fixtures.notification;
import static io.paystream.functions.testing.Fixtures.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.NotificationFixture;
import io.paystream.functions.testing.PaymentFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentOutcome;
import io.paystream.state.payments.PaymentPhase;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentRow;
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

class PaymentTimeoutsTest {
    private static final long T0 = 1_000_000L;
    private static final long RETENTION = 600_000L;
    private static final long RESTORE_GRACE = 5_000L;

    private KeyedTwoInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, PaymentNotification, RequeryCommand>
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
    void shouldRequeryOnScheduleAndAlertWhenNoOutcomeArrivesInAQuietPeriod() throws Exception {
        harness.setProcessingTime(T0 + 1_500); // the row reached the job 1.5 s after its commit
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));

        // Nothing else arrives: only the clock moves.
        harness.setProcessingTime(T0 + 9_999);
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + 10_000);
        harness.setProcessingTime(T0 + 20_000);
        harness.setProcessingTime(T0 + 30_000);
        assertThat(commands())
                .extracting(c -> c.commandId + "@" + c.dueAt)
                .containsExactly("P1:1000000:1@1010000", "P1:1000000:2@1020000", "P1:1000000:3@1030000");
        RequeryCommand last = commands().get(2);
        assertThat(last.orderId).isEqualTo(7);
        assertThat(last.channel).isEqualTo("ALIPAY");
        assertThat(last.attempt).isEqualTo(3);
        assertThat(last.maxAttempts).isEqualTo(3);
        assertThat(last.emittedAt).isEqualTo(T0 + 30_000);
        assertThat(alerts()).isEmpty();

        harness.setProcessingTime(T0 + 39_999);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 40_000);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.LOST_PAYMENT_EXTERNAL);
            assertThat(a.alertId).isEqualTo("LOST_PAYMENT_EXTERNAL:P1:1000000");
            assertThat(a.amount).isEqualTo("35.50");
            assertThat(a.orderId).isEqualTo(7L);
        });

        // It stopped: nothing more, and once the marker's retention is over nothing is left.
        harness.setProcessingTime(T0 + 40_000 + RETENTION);
        assertThat(commands()).hasSize(3);
        assertThat(alerts()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void shouldCountQueryAnswersWithoutAnOutcomeForPeopleReadingASavepoint() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        notify(notification("P1").notPaidYet().amountCents(3550).byQuery());
        harness.setProcessingTime(T0 + 20_000);
        notify(notification("P1").notPaidYet().amountCents(3550).byQuery());
        assertThat(watch("P1").answersWithoutOutcome)
                .as("NOTPAY twice: the channel answers, it just knows nothing yet")
                .isEqualTo(2);
        assertThat(commands()).as("the schedule goes on").hasSize(2);

        // Paying again after a failure is a fresh schedule: its answers are counted afresh.
        row(payment("P1").ofOrder(7).failed().at(T0 + 21_000).version(11));
        row(payment("P1").ofOrder(7).paying().at(T0 + 22_000).version(12));
        assertThat(watch("P1").answersWithoutOutcome).isZero();
        assertThat(outcomes()).isEmpty();
    }

    @Test
    void shouldStopTheScheduleWhenThePaymentSucceeds() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).hasSize(1);

        row(payment("P1").ofOrder(7).succeeded().at(T0 + 12_000).version(11));
        assertThat(harness.numProcessingTimeTimers())
                .as("only the settled marker's timer is left")
                .isEqualTo(1);
        harness.setProcessingTime(T0 + 12_000 + RETENTION);
        assertThat(commands()).hasSize(1);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldIgnoreAPayingRowThatArrivesAfterItsOutcome() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).succeeded().at(T0 + 2_000).version(11));
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldNotRepeatCommandsWhenRowsAreReplayed() throws Exception {
        PaymentFixture paying = payment("P1").ofOrder(7).paying().at(T0).version(10);
        harness.setProcessingTime(T0);
        row(paying);
        row(paying);
        harness.setProcessingTime(T0 + 15_000);
        row(paying);
        harness.setProcessingTime(T0 + 20_000);
        row(paying);
        harness.setProcessingTime(T0 + 30_000);
        harness.setProcessingTime(T0 + 40_000);
        row(paying);
        assertThat(commands()).extracting(c -> c.attempt).containsExactly(1, 2, 3);
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void shouldFireOverdueDeadlinesOnceAfterTheRestoreGrace() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).hasSize(1);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + 10_000);

        // The job was down for a minute: every deadline passed meanwhile.
        restore(snapshot, T0 + 70_000);
        harness.setProcessingTime(T0 + 70_001);
        assertThat(commands()).as("held while the sources replay").isEmpty();
        harness.setProcessingTime(T0 + 70_000 + RESTORE_GRACE);
        assertThat(commands()).extracting(c -> c.attempt + "@" + c.emittedAt).containsExactly("2@1075000", "3@1075000");
        // The last re-query still gets its full answer time before the alert.
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 85_000);
        assertThat(alerts()).hasSize(1);
        harness.setProcessingTime(T0 + 200_000);
        assertThat(commands()).hasSize(2);
        assertThat(alerts()).hasSize(1);
    }

    // --- a restore after a deadline, with the answer that beat it replayed -----------------------

    @Test
    void aQueryAnswerReplayedWithinTheRestoreGraceEndsThePaymentWithoutALostAlert() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 30_000);
        assertThat(commands()).hasSize(3);
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + 35_000);
        // After the checkpoint, before the alert's deadline (40 s): the channel's answer to the last
        // re-query. Its outcome was never committed: the job crashed before the next checkpoint.
        harness.setProcessingTime(T0 + 36_000);
        notify(notification("P1").success().byQuery());

        // Back a minute later, the deadline long passed: the overdue timer fires at once and waits.
        restore(checkpoint, T0 + 100_000);
        harness.setProcessingTime(T0 + 101_000);
        assertThat(alerts()).as("no conclusion before the replay").isEmpty();
        notify(notification("P1").success().byQuery()); // the replayed answer
        harness.setProcessingTime(T0 + 100_000 + RESTORE_GRACE);

        assertThat(outcomes())
                .singleElement()
                .satisfies(o -> assertThat(o.paymentId + ":" + o.status).isEqualTo("P1:SUCCESS"));
        assertThat(alerts()).as("no LOST_PAYMENT_EXTERNAL next to the outcome").isEmpty();
        assertThat(commands()).isEmpty();
        assertThat(watch("P1").phase).isEqualTo(PaymentPhase.REMEMBERED);
        harness.setProcessingTime(T0 + 101_000 + RETENTION);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void anOverdueLostAlertStillComesAfterTheRestoreGraceWhenNoAnswerIsReplayed() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 30_000);
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + 35_000);

        restore(checkpoint, T0 + 100_000);
        harness.setProcessingTime(T0 + 100_000 + RESTORE_GRACE - 1);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 100_000 + RESTORE_GRACE);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.LOST_PAYMENT_EXTERNAL);
            assertThat(a.alertId).isEqualTo("LOST_PAYMENT_EXTERNAL:P1:" + T0);
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
    void anAnswerReplayedWithinTheRestoreGraceSparesTheOverdueRequeries() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + 10_000);
        harness.setProcessingTime(T0 + 12_000);
        notify(notification("P1").success().byQuery()); // answers re-query 1, after the checkpoint

        // Re-queries 2 and 3 and the alert all passed while the job was down.
        restore(checkpoint, T0 + 100_000);
        harness.setProcessingTime(T0 + 100_500);
        notify(notification("P1").success().byQuery()); // the replayed answer
        harness.setProcessingTime(T0 + 200_000);

        assertThat(commands()).as("no re-query for an outcome already in").isEmpty();
        assertThat(alerts()).isEmpty();
        assertThat(outcomes()).extracting(o -> o.paymentId + ":" + o.status).containsExactly("P1:SUCCESS");
        harness.setProcessingTime(T0 + 100_500 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void aRowReplayedWithinTheRestoreGraceMeetsItsWaitingNotificationWithoutAnUnknownAlert() throws Exception {
        harness.setProcessingTime(T0);
        notify(notification("P1").success().byCallback()); // before its row: waits up to 60 s
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + 1_000);
        PaymentFixture paying = payment("P1").ofOrder(7).paying().at(T0 - 500).version(10);
        harness.setProcessingTime(T0 + 2_000);
        row(paying); // after the checkpoint

        restore(checkpoint, T0 + 90_000);
        harness.setProcessingTime(T0 + 90_001);
        row(paying); // replayed by the CDC source
        harness.setProcessingTime(T0 + 90_000 + RESTORE_GRACE);

        assertThat(alerts())
                .as("no UNKNOWN_PAYMENT: the row was only replayed late")
                .isEmpty();
        assertThat(outcomes()).extracting(o -> o.paymentId + ":" + o.status).containsExactly("P1:SUCCESS");
        harness.setProcessingTime(T0 + 90_001 + RETENTION);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void aChangeReplayedWithinTheRestoreGraceKeepsAPaymentWhoseForgetTimeHadPassed() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        notify(notification("P1").success().byCallback());
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + RETENTION - 2_000);
        // Just before it would be forgotten, after the checkpoint, the row changes (CLOSED).
        PaymentFixture closed =
                payment("P1").ofOrder(7).closed().at(T0 + RETENTION - 1_500).version(11);
        harness.setProcessingTime(T0 + RETENTION - 1_000);
        row(closed);

        restore(checkpoint, T0 + RETENTION + 10_000);
        harness.setProcessingTime(T0 + RETENTION + 10_001);
        assertThat(watch("P1")).as("not forgotten before the replay").isNotNull();
        row(closed); // replayed
        harness.setProcessingTime(T0 + RETENTION + 10_000 + RESTORE_GRACE);

        PaymentWatch w = watch("P1");
        assertThat(w).as("remembered from the replayed change on").isNotNull();
        assertThat(w.version).isEqualTo(11);
        notify(notification("P1").success().byCallback()); // a resend
        assertThat(outcomes())
                .as("still known as published: the resend is dropped")
                .isEmpty();
        harness.setProcessingTime(T0 + RETENTION + 10_001 + RETENTION);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldFollowALongerScheduleSetAtAnUpgrade() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + 10_000);
        harness.close();

        // Upgraded with requery.schedule = 15s,45s: the savepoint's timer (attempt 2 at 20 s) is no
        // deadline any more; attempt 2 is now due at 45 s and must still come, once.
        harness = newHarness("15s,45s");
        harness.setProcessingTime(T0 + 10_000);
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(T0 + 20_000);
        assertThat(commands()).as("nothing at the old deadline").isEmpty();
        harness.setProcessingTime(T0 + 45_000);
        assertThat(commands())
                .extracting(c -> c.attempt + "@" + c.dueAt + "/" + c.maxAttempts)
                .containsExactly("2@1045000/2");
        harness.setProcessingTime(T0 + 55_000);
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.type).isEqualTo(Alert.LOST_PAYMENT_EXTERNAL));
        harness.setProcessingTime(T0 + 55_000 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldFireADeadlineThatAShorterScheduleMovedIntoThePast() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + 10_000);
        harness.close();

        // Upgraded with requery.schedule = 10s,12s: attempt 2 was due at 12 s, but only the old
        // timer (20 s) exists; it fires attempt 2 then, once, and the alert follows.
        harness = newHarness("10s,12s");
        harness.setProcessingTime(T0 + 10_000);
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(T0 + 20_000);
        assertThat(commands())
                .extracting(c -> c.attempt + "@" + c.dueAt + "/" + c.emittedAt)
                .containsExactly("2@1012000/1020000");
        harness.setProcessingTime(T0 + 30_000);
        assertThat(alerts()).hasSize(1);
        harness.setProcessingTime(T0 + 40_000 + RETENTION);
        assertThat(commands()).hasSize(1);
        assertThat(alerts()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void shouldStartAFreshScheduleWhenPayingAgainAfterFailure() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        row(payment("P1").ofOrder(7).failed().at(T0 + 11_000).version(11));
        harness.setProcessingTime(T0 + 15_000);
        row(payment("P1").ofOrder(7).paying().at(T0 + 15_000).version(12));
        harness.setProcessingTime(T0 + 35_000);
        assertThat(commands())
                .extracting(c -> c.commandId)
                .containsExactly("P1:1000000:1", "P1:1015000:1", "P1:1015000:2");
        row(payment("P1").ofOrder(7).succeeded().at(T0 + 36_000).version(13));
        harness.setProcessingTime(T0 + 36_000 + RETENTION);
        assertThat(commands()).hasSize(3);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldForgetPaymentsThatStayCreatedOrGetDeleted() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).created().at(T0).version(10));
        PaymentFixture paying = payment("P2").ofOrder(8).paying().at(T0).version(11);
        row(paying);
        row(paying.deleted(12));
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldForgetAPaymentOnlyAfterItsLastChangeEvenAcrossAFreshSchedule() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).created().at(T0).version(10));
        harness.setProcessingTime(T0 + RETENTION - 60_000);
        row(payment("P1").ofOrder(7).paying().at(T0 + RETENTION - 60_000).version(11));
        // The forget timer of the CREATED row fires while the payment is PAYING: nothing is forgotten.
        harness.setProcessingTime(T0 + RETENTION);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        row(payment("P1").ofOrder(7).succeeded().at(T0 + RETENTION + 1_000).version(12));
        harness.setProcessingTime(T0 + 2 * RETENTION - 1);
        assertThat(harness.numKeyedStateEntries())
                .as("remembered until rememberFor after its last change")
                .isPositive();
        harness.setProcessingTime(T0 + 2 * RETENTION + 1_000);
        assertThat(commands()).extracting(c -> c.attempt).containsExactly(1, 2, 3);
        assertThat(alerts())
                .as("the success came before the last answer was overdue")
                .isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldPublishTheFirstVerifiedOutcomeOnceAndDropResends() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        NotificationFixture success =
                notification("P1").success().amountCents(3550).byCallback();
        notify(success);
        notify(success);
        harness.setProcessingTime(T0 + 5_000);
        notify(notification("P1").success().amountCents(3550).byQuery());
        assertThat(outcomes()).singleElement().satisfies(o -> {
            assertThat(o.paymentId).isEqualTo("P1");
            assertThat(o.orderId).isEqualTo(7);
            assertThat(o.status).isEqualTo("SUCCESS");
            assertThat(o.amount).isEqualTo("35.50");
            assertThat(o.source).isEqualTo("CALLBACK");
            assertThat(o.channelTxnId).isEqualTo("TXN-P1");
            // The statement's own time (the fixture's), not the moment the job verified it.
            assertThat(o.receivedAt).isEqualTo(1_000_400L);
            assertThat(o.verifiedAt).isEqualTo(T0);
        });
        // The outcome ended the schedule although the row still says PAYING.
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        assertThat(alerts()).isEmpty();
        // Remembered while channels may still resend; then forgotten.
        harness.setProcessingTime(T0 + 5_000 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldStopTheScheduleWhenAQueryAnswerProvesSuccess() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).hasSize(1);
        notify(notification("P1").success().amountCents(3550).byQuery());
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).hasSize(1);
        assertThat(outcomes()).extracting(o -> o.source).containsExactly("QUERY");
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldRejectAnAmountMismatchAndKeepWatching() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        notify(notification("P1").success().amountCents(3551).byCallback());
        assertThat(outcomes()).isEmpty();
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.AMOUNT_MISMATCH);
            assertThat(a.reason).contains("35.51").contains("35.50");
        });
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).hasSize(1);
    }

    @Test
    void shouldMatchANotificationThatArrivesBeforeItsRow() throws Exception {
        harness.setProcessingTime(T0);
        notify(notification("P1").success().amountCents(3550).byCallback());
        assertThat(outcomes()).isEmpty();
        harness.setProcessingTime(T0 + 2_000);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        assertThat(outcomes()).hasSize(1);
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldAlertANotificationWhoseRowNeverArrivesOnceAndForgetItWhenAPaymentWouldBeForgotten() throws Exception {
        harness.setProcessingTime(T0);
        notify(notification("NOPE").success().amountCents(100).byCallback());
        harness.setProcessingTime(T0 + 59_999);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 60_000);
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.type).isEqualTo(Alert.UNKNOWN_PAYMENT));
        notify(notification("NOPE").success().amountCents(100).byCallback()); // a resend: waits silently
        harness.setProcessingTime(T0 + RETENTION);
        assertThat(alerts()).as("one alert per notification, the resend none").hasSize(1);
        assertThat(outcomes()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldPublishAVerifiedSuccessWhoseRowArrivesAfterTheRowWaitWhenTheBinlogReaderWasStalled() throws Exception {
        // The fault soak's case: MariaDB restarted, the binlog reader stalled 105 s, the callback
        // came meanwhile; the payment center had applied it, so the row arrives PAYING then SUCCESS.
        harness.setProcessingTime(T0);
        notify(notification("P1").success().amountCents(3550).byCallback());
        harness.setProcessingTime(T0 + 60_000);
        assertThat(alerts()).extracting(a -> a.type).containsExactly(Alert.UNKNOWN_PAYMENT);
        harness.setProcessingTime(T0 + 105_000);
        row(payment("P1").ofOrder(7).paying().at(T0 - 2_000).version(10));
        row(payment("P1").ofOrder(7).succeeded().at(T0 + 1_000).version(11));
        assertThat(outcomes()).extracting(o -> o.status).containsExactly("SUCCESS");
        assertThat(commands()).as("settled before its overdue re-queries").isEmpty();
        harness.setProcessingTime(T0 + 105_000 + RETENTION);
        assertThat(alerts()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void shouldPublishSuccessAfterFailureButNotALateFailureAfterSuccess() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        notify(notification("P1").failed().amountCents(3550).byCallback());
        notify(notification("P1").success().amountCents(3550).byCallback());
        notify(notification("P1").failed().amountCents(3550).byCallback());
        notify(notification("P1").closed().amountCents(3550).byCallback());
        assertThat(outcomes()).extracting(o -> o.status).containsExactly("FAILED", "SUCCESS", "CLOSED");
    }

    @Test
    void shouldWatchManyPaymentsIndependently() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(1).paying().at(T0).version(10));
        row(payment("P2").ofOrder(2).paying().at(T0 + 5_000).version(11));
        row(payment("P2").ofOrder(2).succeeded().at(T0 + 6_000).version(12));
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).extracting(c -> c.paymentId).containsExactly("P1");
    }

    // --- state restored from a savepoint taken before PaymentWatch.phase existed ---------------

    @Test
    void shouldGoOnWithTheScheduleOfAPayingPaymentRestoredWithoutAPhase() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        harness.setProcessingTime(T0 + 10_000);
        restoreAsAnOlderVersionWroteIt("P1", T0 + 10_000);

        harness.setProcessingTime(T0 + 20_000);
        harness.setProcessingTime(T0 + 30_000);
        harness.setProcessingTime(T0 + 40_000);
        assertThat(commands()).extracting(c -> c.attempt).containsExactly(2, 3);
        assertThat(alerts()).extracting(a -> a.type).containsExactly(Alert.LOST_PAYMENT_EXTERNAL);
        assertThat(watch("P1").phase).isEqualTo(PaymentPhase.REMEMBERED);
        harness.setProcessingTime(T0 + 40_000 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldStillDropResendsOfASettledPaymentRestoredWithoutAPhase() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        notify(notification("P1").success().byCallback());
        restoreAsAnOlderVersionWroteIt("P1", T0);

        notify(notification("P1").success().byCallback());
        assertThat(outcomes()).as("the resend is dropped").isEmpty();
        assertThat(watch("P1").phase).as("derived on first access").isEqualTo(PaymentPhase.REMEMBERED);
        harness.setProcessingTime(T0 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldMatchANotificationWaitingForItsRowRestoredWithoutAPhase() throws Exception {
        harness.setProcessingTime(T0);
        notify(notification("P1").success().byCallback());
        restoreAsAnOlderVersionWroteIt("P1", T0);

        row(payment("P1").ofOrder(7).paying().at(T0).version(10));
        assertThat(outcomes()).hasSize(1);
        harness.setProcessingTime(T0 + RETENTION);
        assertThat(alerts()).as("no UNKNOWN_PAYMENT: the row came in time").isEmpty();
        assertNothingLeft();
    }

    /** Snapshot and restore the harness with the payment's phase cleared, as an older version wrote it. */
    private void restoreAsAnOlderVersionWroteIt(String paymentId, long now) throws Exception {
        PaymentWatch w = watch(paymentId);
        w.phase = null;
        Harnesses.putValueState(harness, paymentId, PaymentTimeouts.WATCH_STATE, PaymentWatch.class, w);
        OperatorSubtaskState snapshot = harness.snapshot(1L, now);
        harness.close();
        harness = newHarness();
        harness.setProcessingTime(now);
        harness.initializeState(snapshot);
        harness.open();
        assertThat(watch(paymentId).phase).as("restored without a phase").isNull();
    }

    /** The job crashed: a new harness restores {@code snapshot} at {@code now}, as a restart would. */
    private void restore(OperatorSubtaskState snapshot, long now) throws Exception {
        harness.close();
        harness = newHarness();
        harness.setProcessingTime(now);
        harness.initializeState(snapshot);
        harness.open();
    }

    private PaymentWatch watch(String paymentId) throws Exception {
        return Harnesses.valueState(harness, paymentId, PaymentTimeouts.WATCH_STATE, PaymentWatch.class);
    }

    private void assertNothingLeft() {
        Harnesses.assertNothingLeft(harness);
    }

    private List<RequeryCommand> commands() {
        return harness.extractOutputValues();
    }

    private List<PaymentOutcome> outcomes() {
        return Harnesses.sideOutput(harness, PaymentTimeouts.OUTCOMES);
    }

    private List<Alert> alerts() {
        return Harnesses.sideOutput(harness, PaymentTimeouts.ALERTS);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, PaymentNotification, RequeryCommand>
            newHarness() throws Exception {
        return newHarness("10s,20s,30s");
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, PaymentNotification, RequeryCommand>
            newHarness(String requerySchedule) throws Exception {
        PaymentTimeouts fn = PaymentTimeouts.builder()
                .requerySchedule(requerySchedule)
                .answerTimeout(Duration.ofSeconds(10))
                .rememberFor(Duration.ofMillis(RETENTION))
                .rowWait(Duration.ofSeconds(60))
                .safetyTtl(Duration.ofDays(3))
                .restoreGrace(Duration.ofMillis(RESTORE_GRACE))
                .build();
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn), c -> c.row().paymentId, n -> n.paymentId, Types.STRING);
    }

    private void row(PaymentFixture payment) throws Exception {
        harness.processElement1(new StreamRecord<>(payment.change()));
    }

    private void row(RowChange<PaymentRow> change) throws Exception {
        harness.processElement1(new StreamRecord<>(change));
    }

    private void notify(NotificationFixture notification) throws Exception {
        harness.processElement2(new StreamRecord<>(notification.build()));
    }
}
