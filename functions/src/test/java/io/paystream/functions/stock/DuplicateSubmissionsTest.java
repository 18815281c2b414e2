package io.paystream.functions.stock;

import static io.paystream.functions.testing.Fixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.OrderFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.stock.SubmitKey;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
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
        send(order(1).submitHash("H").at(T0).version(1));
        send(order(2).submitHash("H").at(T0 + 1_500).version(2));
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
        send(order(1).submitHash("H").at(T0).version(1));
        send(order(3).submitHash("OTHER").at(T0 + 2_000).version(3));
        assertThat(alerts()).hasSize(1);

        harness.setProcessingTime(T0 + WINDOW + 2_000);
        Harnesses.assertNothingLeft(harness);
    }

    @Test
    void shouldKeepTheEarlierOrderEvenWhenItArrivesLater() throws Exception {
        send(order(2).submitHash("H").at(T0 + 1_000).version(2));
        send(order(1).submitHash("H").at(T0).version(1));
        assertThat(keys()).containsExactly("H=2@" + (T0 + 1_000 + WINDOW), "H=1@" + (T0 + WINDOW));
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("DUPLICATE_SUBMISSION:2");
        assertThat(commands()).extracting(c -> c.orderId).containsExactly(2L);
        harness.setProcessingTime(T0 + WINDOW);
        Harnesses.assertNothingLeft(harness);
    }

    @Test
    void shouldNotFlagTheSameContentSubmittedAfterTheWindow() throws Exception {
        send(order(1).submitHash("H").at(T0).version(1));
        harness.setProcessingTime(T0 + WINDOW + 1);
        send(order(2).submitHash("H").at(T0 + WINDOW + 1).version(2));
        assertThat(alerts()).isEmpty();
        assertThat(keys()).containsExactly("H=1@" + (T0 + WINDOW), "H=2@" + (T0 + 2 * WINDOW + 1));
    }

    @Test
    void shouldNotJudgeOrdersOlderThanTheWindowNorCancelAnOrderNoLongerCreated() throws Exception {
        send(order(1).submitHash("H").at(T0 - WINDOW).version(0)); // an old order in the first snapshot
        assertThat(keys()).isEmpty();
        // Two orders paid before the snapshot: the later is flagged, but not cancelled.
        send(order(2).paid().submitHash("H").at(T0 - 1_000).version(0));
        send(order(3).paid().submitHash("H").at(T0 - 500).version(0));
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("DUPLICATE_SUBMISSION:3");
        assertThat(commands()).isEmpty();
    }

    @Test
    void shouldTreatOnlyInsertedOrdersAsSubmissions() {
        assertThat(DuplicateSubmissions.isSubmission(order(1).at(T0).version(1).change()))
                .as("insert")
                .isTrue();
        assertThat(DuplicateSubmissions.isSubmission(order(1).at(T0).version(0).change()))
                .as("snapshot")
                .isTrue();
        assertThat(DuplicateSubmissions.isSubmission(
                        order(1).cancelled().at(T0).version(5).change()))
                .as("update")
                .isFalse();
        assertThat(DuplicateSubmissions.isSubmission(
                        order(1).noSubmitHash().at(T0).version(1).change()))
                .as("no hash")
                .isFalse();
    }

    private void send(OrderFixture order) throws Exception {
        harness.processElement(order.ofUser(9).change(), T0);
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
        return Harnesses.sideOutput(harness, tag);
    }
}
