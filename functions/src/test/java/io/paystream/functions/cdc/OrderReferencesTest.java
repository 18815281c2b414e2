package io.paystream.functions.cdc;

import static io.paystream.functions.testing.Fixtures.item;
import static io.paystream.functions.testing.Fixtures.order;
import static io.paystream.functions.testing.Fixtures.payment;
import static io.paystream.functions.testing.Harnesses.assertNothingLeft;
import static io.paystream.functions.testing.Harnesses.sideOutput;
import static io.paystream.functions.testing.Harnesses.valueState;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.OrderReference;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.dlq.DeadLetter;
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

/** Items and payments that name their order by number get the order's id from its row. */
class OrderReferencesTest {
    private static final Duration WAIT = Duration.ofHours(6);
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final long T0 = 1_000;
    private static final String SO_1 = "SO-2026-0001";

    private KeyedTwoInputStreamOperatorTestHarness<String, RowChange<OrderRow>, ShopChange, DeadLetter> harness;

    @BeforeEach
    void start() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(T0);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, RowChange<OrderRow>, ShopChange, DeadLetter>
            newHarness() throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<String, RowChange<OrderRow>, ShopChange, DeadLetter>(
                new KeyedCoProcessOperator<>(new OrderReferences(WAIT, RETENTION, "test")),
                c -> c.row().orderNo,
                OrderReferences::numberOf,
                Types.STRING);
        h.setup(ShopTypes.DEAD_LETTER.createSerializer(h.getExecutionConfig().getSerializerConfig()));
        return h;
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private void orderRow(long orderId, String number) throws Exception {
        harness.processElement1(new StreamRecord<>(order(orderId).number(number).change()));
    }

    private void paymentNaming(String paymentId, String number) throws Exception {
        harness.processElement2(new StreamRecord<>(
                payment(paymentId).ofOrderNumber(number).paying().shopChange()));
    }

    private List<RowChange<PaymentRow>> resolvedPayments() {
        return sideOutput(harness, ShopChangeSplitter.PAYMENTS);
    }

    private OrderReference reference(String number) throws Exception {
        return valueState(harness, number, OrderReferences.REFERENCE_STATE, OrderReference.class);
    }

    @Test
    void aPaymentNamingAKnownOrderNumberLeavesAtOnceWithTheOrdersId() throws Exception {
        orderRow(7, SO_1);
        paymentNaming("P1", SO_1);

        assertThat(resolvedPayments()).singleElement().satisfies(p -> {
            assertThat(p.after.orderId).isEqualTo(7);
            assertThat(p.after.orderNo).isEqualTo(SO_1);
        });
        assertThat(reference(SO_1).phase).isEqualTo(OrderReference.Phase.KNOWN);
    }

    @Test
    void rowsNamingAnOrderNotReadYetWaitAndLeaveInTheirOrderWhenItComes() throws Exception {
        paymentNaming("P1", SO_1);
        harness.processElement2(
                new StreamRecord<>(item(11).ofOrderNumber(SO_1).sku(501).shopChange()));
        paymentNaming("P2", SO_1);
        assertThat(resolvedPayments()).isEmpty();
        assertThat(reference(SO_1).phase).isEqualTo(OrderReference.Phase.WAITING_FOR_ORDER);

        orderRow(7, SO_1);

        assertThat(resolvedPayments()).extracting(p -> p.after.paymentId).containsExactly("P1", "P2");
        assertThat(resolvedPayments())
                .allSatisfy(p -> assertThat(p.after.orderId).isEqualTo(7));
        assertThat(sideOutput(harness, ShopChangeSplitter.ORDER_ITEMS))
                .singleElement()
                .satisfies(i -> assertThat(i.after.orderId).isEqualTo(7));
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void rowsWhoseOrderNeverComesBecomeDeadLettersAfterTheWaitAndNothingIsLeft() throws Exception {
        paymentNaming("P1", "SO-404");

        harness.setProcessingTime(T0 + WAIT.toMillis());

        assertThat(harness.extractOutputValues()).singleElement().satisfies(dl -> {
            assertThat(dl.reason).isEqualTo("no order with number 'SO-404' was read within PT6H of a row naming it");
            assertThat(dl.source).isEqualTo("cdc:payments");
            assertThat(dl.raw).contains("P1");
        });
        assertThat(resolvedPayments()).isEmpty();
        assertNothingLeft(harness);
    }

    @Test
    void aKnownNumberIsForgottenAfterTheRetentionWithNoNewerOrderRow() throws Exception {
        orderRow(7, SO_1);
        long changedAt = T0 + RETENTION.toMillis() / 2;
        harness.setProcessingTime(changedAt);
        orderRow(7, SO_1); // the order changed: the retention counts again from here

        harness.setProcessingTime(T0 + RETENTION.toMillis() + 1);
        assertThat(reference(SO_1)).isNotNull();

        harness.setProcessingTime(changedAt + RETENTION.toMillis());
        assertNothingLeft(harness);
    }

    @Test
    void afterARestoreWaitingRowsGetTheWholeWaitOfRunningTimeForTheBinlogReplay() throws Exception {
        paymentNaming("P1", SO_1);
        OperatorSubtaskState snapshot = harness.snapshot(1, T0);
        harness.close();

        // Restored long after the wait ran out: the overdue timer fires at once, but the order's
        // row may still come with the binlog replay.
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(T0 + 3 * WAIT.toMillis());
        assertThat(harness.extractOutputValues()).isEmpty();

        orderRow(7, SO_1);
        assertThat(resolvedPayments())
                .singleElement()
                .satisfies(p -> assertThat(p.after.orderId).isEqualTo(7));
    }
}
