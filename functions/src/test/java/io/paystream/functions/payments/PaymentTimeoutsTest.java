package io.paystream.functions.payments;

import static io.paystream.functions.payments.Rows.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.Alert;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentOutcome;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PaymentTimeoutsTest {
    private static final long T0 = 1_000_000L;
    private static final long RETENTION = 600_000L;

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
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));

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
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        harness.setProcessingTime(T0 + 10_000);
        harness.processElement2(new StreamRecord<>(Notifications.of("P1", null, 3550, PaymentNotification.QUERY)));
        harness.setProcessingTime(T0 + 20_000);
        harness.processElement2(new StreamRecord<>(Notifications.of("P1", null, 3550, PaymentNotification.QUERY)));
        assertThat(watch("P1").answersWithoutOutcome)
                .as("NOTPAY twice: the channel answers, it just knows nothing yet")
                .isEqualTo(2);
        assertThat(commands()).as("the schedule goes on").hasSize(2);

        // Paying again after a failure is a fresh schedule: its answers are counted afresh.
        row(payment("P1", 7, PaymentStatus.FAILED, T0 + 21_000, 11));
        row(payment("P1", 7, PaymentStatus.PAYING, T0 + 22_000, 12));
        assertThat(watch("P1").answersWithoutOutcome).isZero();
        assertThat(outcomes()).isEmpty();
    }

    @Test
    void shouldStopTheScheduleWhenThePaymentSucceeds() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).hasSize(1);

        row(payment("P1", 7, PaymentStatus.SUCCESS, T0 + 12_000, 11));
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
        row(payment("P1", 7, PaymentStatus.SUCCESS, T0 + 2_000, 11));
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldNotRepeatCommandsWhenRowsAreReplayed() throws Exception {
        RowChange<PaymentRow> paying = payment("P1", 7, PaymentStatus.PAYING, T0, 10);
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
    void shouldFireOverdueDeadlinesPromptlyAndOnceAfterARestore() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).hasSize(1);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + 10_000);
        harness.close();

        // The job was down for a minute: every deadline passed meanwhile.
        harness = newHarness();
        harness.setProcessingTime(T0 + 70_000);
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(T0 + 70_001);
        assertThat(commands()).extracting(c -> c.attempt + "@" + c.emittedAt).containsExactly("2@1070001", "3@1070001");
        // The last re-query still gets its full answer time before the alert.
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 80_001);
        assertThat(alerts()).hasSize(1);
        harness.setProcessingTime(T0 + 200_000);
        assertThat(commands()).hasSize(2);
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void shouldFollowALongerScheduleSetAtAnUpgrade() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
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
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
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
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        harness.setProcessingTime(T0 + 10_000);
        row(payment("P1", 7, PaymentStatus.FAILED, T0 + 11_000, 11));
        harness.setProcessingTime(T0 + 15_000);
        row(payment("P1", 7, PaymentStatus.PAYING, T0 + 15_000, 12));
        harness.setProcessingTime(T0 + 35_000);
        assertThat(commands())
                .extracting(c -> c.commandId)
                .containsExactly("P1:1000000:1", "P1:1015000:1", "P1:1015000:2");
        row(payment("P1", 7, PaymentStatus.SUCCESS, T0 + 36_000, 13));
        harness.setProcessingTime(T0 + 36_000 + RETENTION);
        assertThat(commands()).hasSize(3);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldForgetPaymentsThatStayCreatedOrGetDeleted() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1", 7, PaymentStatus.CREATED, T0, 10));
        RowChange<PaymentRow> paying = payment("P2", 8, PaymentStatus.PAYING, T0, 11);
        row(paying);
        row(Rows.deleted(paying, 12));
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldForgetAPaymentOnlyAfterItsLastChangeEvenAcrossAFreshSchedule() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1", 7, PaymentStatus.CREATED, T0, 10));
        harness.setProcessingTime(T0 + RETENTION - 60_000);
        row(payment("P1", 7, PaymentStatus.PAYING, T0 + RETENTION - 60_000, 11));
        // The forget timer of the CREATED row fires while the payment is PAYING: nothing is forgotten.
        harness.setProcessingTime(T0 + RETENTION);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        row(payment("P1", 7, PaymentStatus.SUCCESS, T0 + RETENTION + 1_000, 12));
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
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        PaymentNotification success = Notifications.of("P1", PaymentStatus.SUCCESS, 3550, PaymentNotification.CALLBACK);
        harness.processElement2(new StreamRecord<>(success));
        harness.processElement2(new StreamRecord<>(success));
        harness.setProcessingTime(T0 + 5_000);
        harness.processElement2(
                new StreamRecord<>(Notifications.of("P1", PaymentStatus.SUCCESS, 3550, PaymentNotification.QUERY)));
        assertThat(outcomes()).singleElement().satisfies(o -> {
            assertThat(o.paymentId).isEqualTo("P1");
            assertThat(o.orderId).isEqualTo(7);
            assertThat(o.status).isEqualTo("SUCCESS");
            assertThat(o.amount).isEqualTo("35.50");
            assertThat(o.source).isEqualTo("CALLBACK");
            assertThat(o.channelTxnId).isEqualTo("TXN-P1");
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
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).hasSize(1);
        harness.processElement2(
                new StreamRecord<>(Notifications.of("P1", PaymentStatus.SUCCESS, 3550, PaymentNotification.QUERY)));
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).hasSize(1);
        assertThat(outcomes()).extracting(o -> o.source).containsExactly("QUERY");
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldRejectAnAmountMismatchAndKeepWatching() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        harness.processElement2(
                new StreamRecord<>(Notifications.of("P1", PaymentStatus.SUCCESS, 3551, PaymentNotification.CALLBACK)));
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
        harness.processElement2(
                new StreamRecord<>(Notifications.of("P1", PaymentStatus.SUCCESS, 3550, PaymentNotification.CALLBACK)));
        assertThat(outcomes()).isEmpty();
        harness.setProcessingTime(T0 + 2_000);
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        assertThat(outcomes()).hasSize(1);
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldRejectANotificationWhoseRowNeverArrives() throws Exception {
        harness.setProcessingTime(T0);
        harness.processElement2(
                new StreamRecord<>(Notifications.of("NOPE", PaymentStatus.SUCCESS, 100, PaymentNotification.CALLBACK)));
        harness.setProcessingTime(T0 + 59_999);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 60_000);
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.type).isEqualTo(Alert.UNKNOWN_PAYMENT));
        assertThat(outcomes()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldPublishSuccessAfterFailureButNotALateFailureAfterSuccess() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1", 7, PaymentStatus.PAYING, T0, 10));
        harness.processElement2(
                new StreamRecord<>(Notifications.of("P1", PaymentStatus.FAILED, 3550, PaymentNotification.CALLBACK)));
        harness.processElement2(
                new StreamRecord<>(Notifications.of("P1", PaymentStatus.SUCCESS, 3550, PaymentNotification.CALLBACK)));
        harness.processElement2(
                new StreamRecord<>(Notifications.of("P1", PaymentStatus.FAILED, 3550, PaymentNotification.CALLBACK)));
        harness.processElement2(
                new StreamRecord<>(Notifications.of("P1", PaymentStatus.CLOSED, 3550, PaymentNotification.CALLBACK)));
        assertThat(outcomes()).extracting(o -> o.status).containsExactly("FAILED", "SUCCESS", "CLOSED");
    }

    @Test
    void shouldWatchManyPaymentsIndependently() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1", 1, PaymentStatus.PAYING, T0, 10));
        row(payment("P2", 2, PaymentStatus.PAYING, T0 + 5_000, 11));
        row(payment("P2", 2, PaymentStatus.SUCCESS, T0 + 6_000, 12));
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).extracting(c -> c.paymentId).containsExactly("P1");
    }

    private PaymentWatch watch(String paymentId) throws Exception {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getOperator();
        operator.setCurrentKey(paymentId);
        // The backend hands out the state the function registered under this name.
        return operator.getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>("payment-watch", PaymentWatch.class))
                .value();
    }

    private void assertNothingLeft() {
        assertThat(harness.numKeyedStateEntries()).as("keyed state entries").isZero();
        assertThat(harness.numProcessingTimeTimers()).as("timers").isZero();
    }

    private List<RequeryCommand> commands() {
        return harness.extractOutputValues();
    }

    private List<PaymentOutcome> outcomes() {
        var out = harness.getSideOutput(PaymentTimeouts.OUTCOMES);
        return out == null
                ? List.of()
                : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private List<Alert> alerts() {
        var out = harness.getSideOutput(PaymentTimeouts.ALERTS);
        return out == null
                ? List.of()
                : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, PaymentNotification, RequeryCommand>
            newHarness() throws Exception {
        return newHarness("10s,20s,30s");
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, PaymentNotification, RequeryCommand>
            newHarness(String requerySchedule) throws Exception {
        PaymentTimeouts fn = new PaymentTimeouts(
                Schedule.increasing(requerySchedule),
                Duration.ofSeconds(10),
                Duration.ofMillis(RETENTION),
                Duration.ofSeconds(60),
                Duration.ofDays(3));
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn), c -> c.row().paymentId, n -> n.paymentId, Types.STRING);
    }

    private void row(RowChange<PaymentRow> change) throws Exception {
        harness.processElement1(new StreamRecord<>(change));
    }
}
