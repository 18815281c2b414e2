package io.paystream.functions.payments;

import static io.paystream.functions.payments.Rows.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.Alert;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PaymentTimeoutsTest {
    private static final long T0 = 1_000_000L;
    private static final long RETENTION = 600_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, RequeryCommand> harness;

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
        harness.processElement(payment("P1", 7, PaymentStatus.PAYING, T0, 10), T0);

        // Nothing else arrives: only the clock moves.
        harness.setProcessingTime(T0 + 9_999);
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + 10_000);
        harness.setProcessingTime(T0 + 20_000);
        harness.setProcessingTime(T0 + 30_000);
        assertThat(commands()).extracting(c -> c.commandId + "@" + c.dueAt).containsExactly(
                "P1:1000000:1@1010000", "P1:1000000:2@1020000", "P1:1000000:3@1030000");
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
    void shouldStopTheScheduleWhenThePaymentSucceeds() throws Exception {
        harness.setProcessingTime(T0);
        harness.processElement(payment("P1", 7, PaymentStatus.PAYING, T0, 10), T0);
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).hasSize(1);

        harness.processElement(payment("P1", 7, PaymentStatus.SUCCESS, T0 + 12_000, 11), T0 + 12_000);
        assertThat(harness.numProcessingTimeTimers()).as("only the settled marker's timer is left").isEqualTo(1);
        harness.setProcessingTime(T0 + 12_000 + RETENTION);
        assertThat(commands()).hasSize(1);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldIgnoreAPayingRowThatArrivesAfterItsOutcome() throws Exception {
        harness.setProcessingTime(T0);
        harness.processElement(payment("P1", 7, PaymentStatus.SUCCESS, T0 + 2_000, 11), T0);
        harness.processElement(payment("P1", 7, PaymentStatus.PAYING, T0, 10), T0);
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
        harness.processElement(paying, T0);
        harness.processElement(paying, T0);
        harness.setProcessingTime(T0 + 15_000);
        harness.processElement(paying, T0);
        harness.setProcessingTime(T0 + 20_000);
        harness.processElement(paying, T0);
        harness.setProcessingTime(T0 + 30_000);
        harness.setProcessingTime(T0 + 40_000);
        harness.processElement(paying, T0);
        assertThat(commands()).extracting(c -> c.attempt).containsExactly(1, 2, 3);
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void shouldFireOverdueDeadlinesPromptlyAndOnceAfterARestore() throws Exception {
        harness.setProcessingTime(T0);
        harness.processElement(payment("P1", 7, PaymentStatus.PAYING, T0, 10), T0);
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
    void shouldStartAFreshScheduleWhenPayingAgainAfterFailure() throws Exception {
        harness.setProcessingTime(T0);
        harness.processElement(payment("P1", 7, PaymentStatus.PAYING, T0, 10), T0);
        harness.setProcessingTime(T0 + 10_000);
        harness.processElement(payment("P1", 7, PaymentStatus.FAILED, T0 + 11_000, 11), T0);
        harness.setProcessingTime(T0 + 15_000);
        harness.processElement(payment("P1", 7, PaymentStatus.PAYING, T0 + 15_000, 12), T0);
        harness.setProcessingTime(T0 + 35_000);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly(
                "P1:1000000:1", "P1:1015000:1", "P1:1015000:2");
        harness.processElement(payment("P1", 7, PaymentStatus.SUCCESS, T0 + 36_000, 13), T0);
        harness.setProcessingTime(T0 + 36_000 + RETENTION);
        assertThat(commands()).hasSize(3);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldKeepNoStateForPaymentsThatAreOnlyCreatedOrGetDeleted() throws Exception {
        harness.setProcessingTime(T0);
        harness.processElement(payment("P1", 7, PaymentStatus.CREATED, T0, 10), T0);
        assertNothingLeft();
        RowChange<PaymentRow> paying = payment("P2", 8, PaymentStatus.PAYING, T0, 11);
        harness.processElement(paying, T0);
        harness.processElement(Rows.deleted(paying, 12), T0);
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldWatchManyPaymentsIndependently() throws Exception {
        harness.setProcessingTime(T0);
        harness.processElement(payment("P1", 1, PaymentStatus.PAYING, T0, 10), T0);
        harness.processElement(payment("P2", 2, PaymentStatus.PAYING, T0 + 5_000, 11), T0);
        harness.processElement(payment("P2", 2, PaymentStatus.SUCCESS, T0 + 6_000, 12), T0);
        harness.setProcessingTime(T0 + 10_000);
        assertThat(commands()).extracting(c -> c.paymentId).containsExactly("P1");
    }

    private void assertNothingLeft() {
        assertThat(harness.numKeyedStateEntries()).as("keyed state entries").isZero();
        assertThat(harness.numProcessingTimeTimers()).as("timers").isZero();
    }

    private List<RequeryCommand> commands() {
        return harness.extractOutputValues();
    }

    private List<Alert> alerts() {
        var out = harness.getSideOutput(PaymentTimeouts.ALERTS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, RequeryCommand> newHarness() throws Exception {
        PaymentTimeouts fn = new PaymentTimeouts(Schedule.increasing("10s,20s,30s"), Duration.ofSeconds(10),
                Duration.ofMillis(RETENTION), Duration.ofDays(3));
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), c -> c.row().paymentId, Types.STRING);
    }
}
