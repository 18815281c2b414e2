package io.paystream.functions.payments;

import static io.paystream.functions.testing.Fixtures.order;
import static io.paystream.functions.testing.Fixtures.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.OrderFixture;
import io.paystream.functions.testing.PaymentFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.payments.OrderPaymentPhase;
import io.paystream.state.payments.OrderPaymentWatch;
import io.paystream.state.shop.OrderRow;
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

class OrderPaidTimeoutsTest {
    private static final long T0 = 1_000_000L;
    private static final long RETENTION = 600_000L;
    private static final long RESTORE_GRACE = 5_000L;

    private KeyedTwoInputStreamOperatorTestHarness<Long, RowChange<OrderRow>, RowChange<PaymentRow>, OrderCommand>
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
    void shouldRenotifyTheBusinessThenAlertWhenTheOrderNeverTurnsPaid() throws Exception {
        harness.setProcessingTime(T0);
        orderRow(order(7).created().at(T0 - 5_000).version(9));
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0).version(10));

        harness.setProcessingTime(T0 + 29_999);
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + 30_000);
        harness.setProcessingTime(T0 + 60_000);
        harness.setProcessingTime(T0 + 120_000);
        assertThat(commands())
                .extracting(c -> c.commandId)
                .containsExactly(
                        "RENOTIFY_BUSINESS:P1:1000000:1",
                        "RENOTIFY_BUSINESS:P1:1000000:2",
                        "RENOTIFY_BUSINESS:P1:1000000:3");
        OrderCommand first = commands().get(0);
        assertThat(first.type).isEqualTo(OrderCommand.RENOTIFY_BUSINESS);
        assertThat(first.orderId).isEqualTo(7);
        assertThat(first.paymentId).isEqualTo("P1");
        assertThat(first.channelTxnId).isEqualTo("20267");
        assertThat(first.amount).isEqualTo("35.50");
        assertThat(first.paidAt).isEqualTo(T0);
        assertThat(first.maxAttempts).isEqualTo(3);
        assertThat(alerts()).isEmpty();

        harness.setProcessingTime(T0 + 180_000);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.LOST_PAYMENT_INTERNAL);
            assertThat(a.alertId).isEqualTo("LOST_PAYMENT_INTERNAL:P1:1000000");
            assertThat(a.orderId).isEqualTo(7L);
        });
        harness.setProcessingTime(T0 + 180_000 + RETENTION);
        assertThat(commands()).hasSize(3);
        assertNothingLeft();
    }

    @Test
    void shouldStopWhenTheOrderTurnsPaid() throws Exception {
        harness.setProcessingTime(T0);
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0).version(10));
        harness.setProcessingTime(T0 + 30_000);
        assertThat(commands()).hasSize(1);
        orderRow(order(7).paid().at(T0 + 31_000).version(11));
        harness.setProcessingTime(T0 + 31_000 + RETENTION);
        assertThat(commands()).hasSize(1);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldDoNothingWhenTheOrderWasPaidBeforeThePaymentRowArrived() throws Exception {
        harness.setProcessingTime(T0);
        orderRow(order(7).paid().at(T0).version(11));
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0 - 100).version(10));
        harness.setProcessingTime(T0 + 200_000);
        assertThat(commands()).isEmpty();
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldNotRepeatCommandsWhenRowsAreReplayed() throws Exception {
        PaymentFixture success = payment("P1").ofOrder(7).succeeded().at(T0).version(10);
        harness.setProcessingTime(T0);
        paymentRow(success);
        harness.setProcessingTime(T0 + 30_000);
        paymentRow(success);
        orderRow(order(7).created().at(T0 - 5_000).version(9));
        orderRow(order(7).created().at(T0 - 5_000).version(9));
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).extracting(c -> c.attempt).containsExactly(1, 2);
    }

    @Test
    void shouldKeepNoStateForOrdersWithoutASuccessfulPayment() throws Exception {
        harness.setProcessingTime(T0);
        orderRow(order(7).created().at(T0).version(9));
        paymentRow(payment("P1").ofOrder(7).paying().at(T0).version(10));
        paymentRow(payment("P1").ofOrder(7).failed().at(T0).version(11));
        orderRow(order(7).cancelled().at(T0).version(12));
        assertNothingLeft();
    }

    @Test
    void shouldFireOverdueRenotificationsOnceAfterTheRestoreGrace() throws Exception {
        harness.setProcessingTime(T0);
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0).version(10));
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
        restore(snapshot, T0 + 45_000);
        harness.setProcessingTime(T0 + 45_001);
        assertThat(commands()).as("held while the sources replay").isEmpty();
        harness.setProcessingTime(T0 + 45_000 + RESTORE_GRACE);
        assertThat(commands()).extracting(c -> c.attempt + "@" + c.emittedAt).containsExactly("1@1050000");
        harness.setProcessingTime(T0 + 80_000);
        assertThat(commands()).hasSize(2);
    }

    @Test
    void aPaidOrderReplayedWithinTheRestoreGraceEndsTheWatchWithoutALostAlert() throws Exception {
        harness.setProcessingTime(T0);
        orderRow(order(7).created().at(T0 - 5_000).version(9));
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0).version(10));
        harness.setProcessingTime(T0 + 30_000);
        harness.setProcessingTime(T0 + 60_000);
        harness.setProcessingTime(T0 + 120_000);
        assertThat(commands()).hasSize(3);
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + 150_000);
        // After the checkpoint, before the alert's deadline (180 s): the business applies the payment.
        OrderFixture paid = order(7).paid().at(T0 + 159_000).version(11);
        harness.setProcessingTime(T0 + 160_000);
        orderRow(paid);

        restore(checkpoint, T0 + 300_000);
        harness.setProcessingTime(T0 + 300_500);
        assertThat(alerts()).as("no conclusion before the replay").isEmpty();
        orderRow(paid); // replayed by the CDC source
        harness.setProcessingTime(T0 + 300_000 + RESTORE_GRACE);

        assertThat(alerts()).as("no LOST_PAYMENT_INTERNAL for a paid order").isEmpty();
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + 300_500 + RETENTION);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void anOverdueLostInternalAlertStillComesAfterTheRestoreGraceWhenTheOrderStaysUnpaid() throws Exception {
        harness.setProcessingTime(T0);
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0).version(10));
        harness.setProcessingTime(T0 + 30_000);
        harness.setProcessingTime(T0 + 60_000);
        harness.setProcessingTime(T0 + 120_000);
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0 + 150_000);

        restore(checkpoint, T0 + 300_000);
        harness.setProcessingTime(T0 + 300_000 + RESTORE_GRACE - 1);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 300_000 + RESTORE_GRACE);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.LOST_PAYMENT_INTERNAL);
            assertThat(a.alertId).isEqualTo("LOST_PAYMENT_INTERNAL:P1:1000000");
        });
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + 305_000 + RETENTION);
        assertThat(alerts()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void shouldFollowALongerScheduleSetAtAnUpgrade() throws Exception {
        harness.setProcessingTime(T0);
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0).version(10));
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
        harness.close();

        // Upgraded with internal.timeout = 50 s: the savepoint's timer (30 s) is no deadline any
        // more; the re-notification comes at 50 s, once.
        harness = newHarness(Duration.ofSeconds(50));
        harness.setProcessingTime(T0);
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(T0 + 30_000);
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + 50_000);
        assertThat(commands()).extracting(c -> c.attempt + "@" + c.emittedAt).containsExactly("1@1050000");
        orderRow(order(7).paid().at(T0 + 51_000).version(11));
        harness.setProcessingTime(T0 + 51_000 + RETENTION);
        assertThat(commands()).hasSize(1);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void anOrderRestoredRenotifyingWithoutAPhaseGoesOnWithItsSchedule() throws Exception {
        harness.setProcessingTime(T0);
        orderRow(order(7).created().at(T0 - 5_000).version(9));
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0).version(10));
        harness.setProcessingTime(T0 + 30_000);
        assertThat(commands()).extracting(c -> c.attempt).containsExactly(1);
        restoreAsWrittenBeforeThePhase(7L, T0 + 30_000);

        assertThat(watch(7L).phase()).isEqualTo(OrderPaymentPhase.RENOTIFYING);
        harness.setProcessingTime(T0 + 60_000);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("RENOTIFY_BUSINESS:P1:1000000:2");
        orderRow(order(7).paid().at(T0 + 61_000).version(11));
        assertThat(watch(7L).phase).isEqualTo(OrderPaymentPhase.REMEMBERED);
        assertThat(watch(7L).nextAttempt).as("as older versions read it").isZero();
        harness.setProcessingTime(T0 + 61_000 + RETENTION);
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void aPaidOrderMarkerRestoredWithoutAPhaseAbsorbsALatePaymentThenIsForgotten() throws Exception {
        harness.setProcessingTime(T0);
        orderRow(order(7).paid().at(T0).version(9));
        restoreAsWrittenBeforeThePhase(7L, T0 + 1_000);

        assertThat(watch(7L).phase()).isEqualTo(OrderPaymentPhase.REMEMBERED);
        paymentRow(payment("P1").ofOrder(7).succeeded().at(T0 - 2_000).version(10));
        harness.setProcessingTime(T0 + RETENTION);
        assertThat(commands()).isEmpty();
        assertNothingLeft();
    }

    /** The order's state as versions before {@code OrderPaymentWatch.phase} wrote it, restored from a snapshot. */
    private void restoreAsWrittenBeforeThePhase(long orderId, long now) throws Exception {
        OrderPaymentWatch w = watch(orderId);
        w.phase = null;
        Harnesses.putValueState(harness, orderId, OrderPaidTimeouts.WATCH_STATE, OrderPaymentWatch.class, w);
        OperatorSubtaskState snapshot = harness.snapshot(1L, now);
        harness.close();
        harness = newHarness();
        harness.setProcessingTime(now);
        harness.initializeState(snapshot);
        harness.open();
        assertThat(watch(orderId).phase).as("restored without a phase").isNull();
    }

    /** The job crashed: a new harness restores {@code snapshot} at {@code now}, as a restart would. */
    private void restore(OperatorSubtaskState snapshot, long now) throws Exception {
        harness.close();
        harness = newHarness();
        harness.setProcessingTime(now);
        harness.initializeState(snapshot);
        harness.open();
    }

    private OrderPaymentWatch watch(long orderId) throws Exception {
        return Harnesses.valueState(harness, orderId, OrderPaidTimeouts.WATCH_STATE, OrderPaymentWatch.class);
    }

    private void assertNothingLeft() {
        Harnesses.assertNothingLeft(harness);
    }

    private void orderRow(OrderFixture order) throws Exception {
        harness.processElement1(new StreamRecord<>(order.change()));
    }

    private void paymentRow(PaymentFixture payment) throws Exception {
        harness.processElement2(new StreamRecord<>(payment.change()));
    }

    private List<OrderCommand> commands() {
        return harness.extractOutputValues();
    }

    private List<Alert> alerts() {
        return Harnesses.sideOutput(harness, OrderPaidTimeouts.ALERTS);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    Long, RowChange<OrderRow>, RowChange<PaymentRow>, OrderCommand>
            newHarness() throws Exception {
        return newHarness(Duration.ofSeconds(30));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    Long, RowChange<OrderRow>, RowChange<PaymentRow>, OrderCommand>
            newHarness(Duration internalTimeout) throws Exception {
        OrderPaidTimeouts fn = OrderPaidTimeouts.builder()
                .timeout(internalTimeout)
                .retryGaps("30s,60s")
                .giveUpAfter(Duration.ofSeconds(60))
                .rememberFor(Duration.ofMillis(RETENTION))
                .safetyTtl(Duration.ofDays(3))
                .restoreGrace(Duration.ofMillis(RESTORE_GRACE))
                .build();
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn), o -> o.row().orderId, p -> p.row().orderId, Types.LONG);
    }
}
