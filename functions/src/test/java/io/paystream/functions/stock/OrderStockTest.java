package io.paystream.functions.stock;

import static io.paystream.functions.stock.StockRows.deleted;
import static io.paystream.functions.stock.StockRows.inventory;
import static io.paystream.functions.stock.StockRows.item;
import static io.paystream.functions.stock.StockRows.of;
import static io.paystream.functions.stock.StockRows.order;
import static io.paystream.functions.stock.StockRows.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.payments.OrderCommand;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.stock.StockHolding;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrderStockTest {
    private static final long T0 = 1_000_000L;
    private static final long TIMEOUT = Duration.ofMinutes(15).toMillis();
    private static final long RETENTION = Duration.ofHours(1).toMillis();
    private static final long ORDER_SKU = 1;
    private static final long PAYMENT_SKU = 2;

    private KeyedBroadcastOperatorTestHarness<Long, ShopChange, RowChange<InventoryRow>, StockHolding> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(T0);
        harness.processBroadcastElement(inventory(ORDER_SKU, 10, DeductMode.ORDER, null, 0), T0);
        harness.processBroadcastElement(inventory(PAYMENT_SKU, 10, DeductMode.PAYMENT, null, 0), T0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldHoldAnOrdersUnitsOpenThenPaidThenRetireThemAfterTheRetention() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, ORDER_SKU, 2, 2));
        send(item(71, 7, ORDER_SKU, 1, 3));
        send(item(72, 7, PAYMENT_SKU, 4, 4));
        send(payment("P7", 7, PaymentStatus.PAYING, 5));
        send(payment("P7", 7, PaymentStatus.SUCCESS, 6));
        send(order(7, 9, OrderStatus.PAID, T0, 7));

        assertThat(holdings()).containsExactly("1:7:2:OPEN", "1:7:3:OPEN", "2:7:4:OPEN", "1:7:3:PAID", "2:7:4:PAID");
        assertThat(harness.extractOutputValues().get(4).amountCents).isEqualTo(4000);

        harness.setProcessingTime(T0 + RETENTION);
        assertThat(holdings()).endsWith("1:7:3:RETIRED", "2:7:4:RETIRED");
        assertNothingLeft();
    }

    @Test
    void shouldKeepItemsAndAPaymentThatArriveBeforeTheirOrder() throws Exception {
        send(item(70, 7, ORDER_SKU, 2, 3));
        send(payment("P7", 7, PaymentStatus.SUCCESS, 5));
        assertThat(holdings()).as("nothing is told before the order row").isEmpty();

        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        assertThat(holdings()).containsExactly("1:7:2:PAID");
        assertThat(harness.extractOutputValues().get(0).userId).isEqualTo(9);

        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).as("a paid order never expires").isEmpty();
    }

    @Test
    void shouldExpireAnUnpaidOrderHoldingDeductOnOrderStockFromItsOwnCreatedAt() throws Exception {
        harness.setProcessingTime(T0 + 2_000); // the row reached the job 2 s after its commit
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, ORDER_SKU, 2, 2));
        send(item(71, 7, PAYMENT_SKU, 1, 3));

        harness.setProcessingTime(T0 + TIMEOUT - 1);
        assertThat(commands()).isEmpty();
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).singleElement().satisfies(c -> {
            assertThat(c.type).isEqualTo(OrderCommand.CANCEL_UNPAID);
            assertThat(c.commandId).isEqualTo("CANCEL_UNPAID:7");
            assertThat(c.orderId).isEqualTo(7);
            assertThat(c.emittedAt).isEqualTo(T0 + TIMEOUT);
        });
        assertThat(holdings()).containsExactly("1:7:2:OPEN", "2:7:1:OPEN", "1:7:2:RELEASED", "2:7:1:RELEASED");

        // The order system applies the cancel: nothing more to tell.
        send(order(7, 9, OrderStatus.CANCELLED, T0, 4));
        assertThat(holdings()).hasSize(4);
        harness.setProcessingTime(T0 + TIMEOUT + RETENTION);
        assertThat(commands()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void shouldSellAgainWhenAPaymentSucceedsAfterTheOrderExpired() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, ORDER_SKU, 2, 2));
        harness.setProcessingTime(T0 + TIMEOUT);
        send(payment("P7", 7, PaymentStatus.SUCCESS, 3));
        assertThat(holdings()).containsExactly("1:7:2:OPEN", "1:7:2:RELEASED", "1:7:2:PAID");
        assertThat(commands()).hasSize(1);
    }

    @Test
    void shouldTakeASaleBackWhenItsPaymentIsNoLongerASuccess() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, PAYMENT_SKU, 2, 2));
        send(payment("P7", 7, PaymentStatus.PAYING, PaymentStatus.SUCCESS, 3));
        send(payment("P8", 7, PaymentStatus.PAYING, PaymentStatus.FAILED, 4)); // another payment: changes nothing
        send(payment("P7", 7, PaymentStatus.SUCCESS, PaymentStatus.CLOSED, 5));
        assertThat(holdings()).containsExactly("2:7:2:OPEN", "2:7:2:PAID", "2:7:2:OPEN");
    }

    @Test
    void shouldExpireAnOverdueOrderWhenItsDeductOnOrderLineArrivesAfterItsOtherLines() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, PAYMENT_SKU, 1, 2));
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).as("so far only a deduct-on-payment line").isEmpty();
        send(item(71, 7, ORDER_SKU, 2, 3)); // the other line of the same order, late
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_UNPAID:7");
        assertThat(holdings()).containsExactly("2:7:1:OPEN", "1:7:2:RELEASED", "2:7:1:RELEASED");
    }

    @Test
    void shouldNotExpireAnOrderOfDeductOnPaymentSkusOnly() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, PAYMENT_SKU, 2, 2));
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).isEmpty();
        assertThat(holdings()).containsExactly("2:7:2:OPEN");
        // It stays live until the shop ends it, or until the retention forgets it.
        harness.setProcessingTime(T0 + RETENTION);
        assertThat(holdings()).containsExactly("2:7:2:OPEN", "2:7:2:RETIRED");
        assertNothingLeft();
    }

    @Test
    void shouldLookAgainAtAnOverdueOrderWhoseSkuModeIsNotKnownYet() throws Exception {
        long unknownSku = 3;
        harness.setProcessingTime(T0 + TIMEOUT + 5_000); // e.g. the first snapshot after downtime
        send(order(7, 9, OrderStatus.CREATED, T0, 0));
        send(item(70, 7, unknownSku, 1, 0));
        harness.setProcessingTime(T0 + TIMEOUT + 5_001);
        assertThat(commands()).isEmpty();

        harness.processBroadcastElement(inventory(unknownSku, 5, DeductMode.PAYMENT, null, 0), T0);
        harness.setProcessingTime(T0 + TIMEOUT + 5_000 + UnpaidExpiry.UNKNOWN_MODE_RECHECK_MS);
        assertThat(commands())
                .as("it turned out to deduct on payment: nothing to expire")
                .isEmpty();

        // A SKU that never shows up in the inventory counts as deduct-on-order after the wait.
        send(order(8, 9, OrderStatus.CREATED, T0, 0));
        send(item(80, 8, 4, 1, 0));
        harness.setProcessingTime(T0 + TIMEOUT + 5_001 + 2 * UnpaidExpiry.UNKNOWN_MODE_RECHECK_MS);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_UNPAID:8");
    }

    @Test
    void shouldExpireAnOverdueOrderWhenItsItemsArriveAfterTheDeadline() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).as("no lines yet: nothing to decide on").isEmpty();
        send(item(70, 7, ORDER_SKU, 1, 2));
        assertThat(commands()).hasSize(1);
        assertThat(holdings()).containsExactly("1:7:1:RELEASED");
    }

    @Test
    void shouldReleaseUnitsWhenTheOrderIsCancelledClosedOrDeleted() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, ORDER_SKU, 1, 2));
        send(order(7, 9, OrderStatus.CANCELLED, T0, 3));
        send(order(8, 9, OrderStatus.PAID, T0, 4));
        send(item(80, 8, ORDER_SKU, 2, 5));
        send(order(8, 9, OrderStatus.CLOSED, T0, 6));
        RowChange<OrderRow> o9 = order(9, 9, OrderStatus.CREATED, T0, 7);
        send(o9);
        send(item(90, 9, ORDER_SKU, 3, 8));
        send(deleted(o9, 9));
        assertThat(holdings())
                .containsExactly(
                        "1:7:1:OPEN", "1:7:1:RELEASED", "1:8:2:PAID", "1:8:2:RELEASED", "1:9:3:OPEN", "1:9:3:RELEASED");
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).isEmpty();
    }

    @Test
    void shouldMoveUnitsWhenALineChangesItsSkuOrIsDeleted() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        RowChange<OrderItemRow> line = item(70, 7, ORDER_SKU, 2, 2);
        send(line);
        RowChange<OrderItemRow> moved = item(70, 7, PAYMENT_SKU, 2, 3);
        send(moved);
        send(deleted(moved, 4));
        // A replayed older insert of the deleted line cannot bring it back.
        send(line);
        assertThat(holdings()).containsExactly("1:7:2:OPEN", "1:7:0:OPEN", "2:7:2:OPEN", "2:7:0:OPEN");
    }

    @Test
    void shouldIgnoreReplayedRows() throws Exception {
        RowChange<?>[] rows = {
            order(7, 9, OrderStatus.CREATED, T0, 1),
            item(70, 7, ORDER_SKU, 2, 2),
            payment("P7", 7, PaymentStatus.SUCCESS, 3),
            order(7, 9, OrderStatus.PAID, T0, 4)
        };
        for (RowChange<?> r : rows) {
            send(r);
        }
        for (RowChange<?> r : rows) {
            send(r);
        }
        send(rows[0]); // an old CREATED row after PAID
        assertThat(holdings()).containsExactly("1:7:2:OPEN", "1:7:2:PAID");
    }

    @Test
    void shouldSendALineWithoutPositiveQuantityToTheDeadLetters() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, ORDER_SKU, 0, 2));
        assertThat(holdings()).isEmpty();
        assertThat(side(StockOutputs.DEAD_LETTERS))
                .singleElement()
                .satisfies(d -> assertThat(d.reason).contains("quantity 0"));
    }

    @Test
    void shouldExpireOverdueOrdersAtOnceAndOnceAfterARestore() throws Exception {
        send(order(7, 9, OrderStatus.CREATED, T0, 1));
        send(item(70, 7, ORDER_SKU, 2, 2));
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
        harness.close();

        // Down for an hour: the deadline passed meanwhile.
        harness = newHarness();
        harness.setProcessingTime(T0 + TIMEOUT + 3_600_000L);
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(T0 + TIMEOUT + 3_600_001L);
        assertThat(commands())
                .extracting(c -> c.commandId + "@" + c.emittedAt)
                .containsExactly("CANCEL_UNPAID:7@" + (T0 + TIMEOUT + 3_600_001L));
        assertThat(holdings()).containsExactly("1:7:2:RELEASED");
        harness.setProcessingTime(T0 + TIMEOUT + 2 * 3_600_001L);
        assertThat(commands()).hasSize(1);
    }

    private void send(RowChange<?> change) throws Exception {
        harness.processElement(of(change), T0);
    }

    private List<String> holdings() {
        return harness.extractOutputValues().stream()
                .map(h -> h.skuId + ":" + h.orderId + ":" + h.quantity + ":" + h.phase)
                .collect(Collectors.toList());
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

    private void assertNothingLeft() {
        var backend = (HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
        assertThat(backend.numKeyValueStateEntries()).as("keyed state entries").isZero();
        assertThat(harness.numProcessingTimeTimers()).as("timers").isZero();
    }

    private static KeyedBroadcastOperatorTestHarness<Long, ShopChange, RowChange<InventoryRow>, StockHolding>
            newHarness() throws Exception {
        OrderStock fn = new OrderStock(Duration.ofMillis(TIMEOUT), Duration.ofMillis(RETENTION), Duration.ofDays(3));
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, List.of(OrderStock.DEDUCT_MODES)),
                OrderStock::orderIdOf,
                Types.LONG,
                1,
                1,
                0);
    }
}
