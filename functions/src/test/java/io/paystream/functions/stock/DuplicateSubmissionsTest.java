package io.paystream.functions.stock;

import static io.paystream.functions.stock.StockRows.order;
import static io.paystream.functions.stock.StockRows.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.stock.SubmitKey;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DuplicateSubmissionsTest {
    private static final long T0 = 10_000_000L;
    private static final long WINDOW = Duration.ofMinutes(10).toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, RowChange<OrderRow>, SubmitKey> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DuplicateSubmissions(Duration.ofMillis(WINDOW))),
                c -> c.after.submitHash,
                Types.STRING);
        harness.open();
        harness.setProcessingTime(T0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldFlagAndCancelTheLaterOrderWithTheSameHashWithinTheWindow() throws Exception {
        send(submitted(1, 9, "H", T0, 1));
        send(submitted(2, 9, "H", T0 + 1_500, 2));
        assertThat(keys()).containsExactly("H=1@" + (T0 + WINDOW));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.DUPLICATE_SUBMISSION);
            assertThat(a.alertId).isEqualTo("DUPLICATE_SUBMISSION:2");
            assertThat(a.orderId).isEqualTo(2L);
            assertThat(a.userId).isEqualTo(9L);
            assertThat(a.reason).contains("repeats order 1");
        });
        assertThat(commands())
                .extracting(c -> c.type + ":" + c.commandId)
                .containsExactly(OrderCommand.CANCEL_DUPLICATE + ":CANCEL_DUPLICATE:2");
        // A replay of the kept order's row, and a different hash, change nothing.
        send(submitted(1, 9, "H", T0, 1));
        send(submitted(3, 9, "OTHER", T0 + 2_000, 3));
        assertThat(alerts()).hasSize(1);

        harness.setProcessingTime(T0 + WINDOW + 2_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldKeepTheEarlierOrderEvenWhenItArrivesLater() throws Exception {
        send(submitted(2, 9, "H", T0 + 1_000, 2));
        send(submitted(1, 9, "H", T0, 1));
        assertThat(keys()).containsExactly("H=2@" + (T0 + 1_000 + WINDOW), "H=1@" + (T0 + WINDOW));
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("DUPLICATE_SUBMISSION:2");
        assertThat(commands()).extracting(c -> c.orderId).containsExactly(2L);
        harness.setProcessingTime(T0 + WINDOW);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldNotFlagTheSameContentSubmittedAfterTheWindow() throws Exception {
        send(submitted(1, 9, "H", T0, 1));
        harness.setProcessingTime(T0 + WINDOW + 1);
        send(submitted(2, 9, "H", T0 + WINDOW + 1, 2));
        assertThat(alerts()).isEmpty();
        assertThat(keys()).containsExactly("H=1@" + (T0 + WINDOW), "H=2@" + (T0 + 2 * WINDOW + 1));
    }

    @Test
    void shouldNotJudgeOrdersOlderThanTheWindowNorCancelAnOrderNoLongerCreated() throws Exception {
        send(submitted(1, 9, "H", T0 - WINDOW, 0)); // an old order in the first snapshot
        assertThat(keys()).isEmpty();
        RowChange<OrderRow> paid = submitted(2, 9, "H", T0 - 1_000, 0);
        paid.after.status = OrderStatus.PAID;
        send(paid);
        RowChange<OrderRow> paidToo = submitted(3, 9, "H", T0 - 500, 0);
        paidToo.after.status = OrderStatus.PAID;
        send(paidToo);
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("DUPLICATE_SUBMISSION:3");
        assertThat(commands()).isEmpty();
    }

    @Test
    void shouldTreatOnlyInsertedOrdersAsSubmissions() {
        assertThat(DuplicateSubmissions.isSubmission(submitted(1, 9, "H", T0, 1)))
                .isTrue();
        assertThat(DuplicateSubmissions.isSubmission(order(1, 9, OrderStatus.CREATED, T0, 0)))
                .as("snapshot")
                .isTrue();
        assertThat(DuplicateSubmissions.isSubmission(order(1, 9, OrderStatus.CANCELLED, T0, 5)))
                .as("update")
                .isFalse();
        RowChange<OrderRow> noHash = submitted(1, 9, null, T0, 1);
        assertThat(DuplicateSubmissions.isSubmission(noHash)).isFalse();
    }

    private void send(RowChange<OrderRow> c) throws Exception {
        harness.processElement(c, T0);
    }

    private List<String> keys() {
        return harness.extractOutputValues().stream()
                .map(k -> k.submitHash + "=" + k.orderId + "@" + k.expireAtMs)
                .collect(Collectors.toList());
    }

    private List<Alert> alerts() {
        return side(StockOutputs.ALERTS);
    }

    private List<OrderCommand> commands() {
        return side(StockOutputs.COMMANDS);
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var out = harness.getSideOutput(tag);
        return out == null
                ? List.of()
                : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }
}
