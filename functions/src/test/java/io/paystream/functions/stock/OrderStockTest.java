package io.paystream.functions.stock;

import static io.paystream.functions.testing.Fixtures.item;
import static io.paystream.functions.testing.Fixtures.order;
import static io.paystream.functions.testing.Fixtures.payment;
import static io.paystream.functions.testing.Fixtures.shopChange;
import static io.paystream.functions.testing.Fixtures.sku;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.ChangeFixture;
import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.ItemFixture;
import io.paystream.functions.testing.OrderFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderPhase;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.StockHolding;
import io.paystream.state.stock.StockTypes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
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
    private boolean rocksDb;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(T0);
        harness.processBroadcastElement(
                sku(ORDER_SKU).stock(10).deductsOnOrder().version(0).change(), T0);
        harness.processBroadcastElement(
                sku(PAYMENT_SKU).stock(10).deductsOnPayment().version(0).change(), T0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldHoldAnOrdersUnitsOpenThenPaidThenRetireThemAfterTheRetention() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2));
        send(item(71).ofOrder(7).sku(ORDER_SKU).quantity(1).version(3));
        send(item(72).ofOrder(7).sku(PAYMENT_SKU).quantity(4).version(4));
        send(payment("P7").ofOrder(7).paying().version(5));
        send(payment("P7").ofOrder(7).succeeded().version(6));
        send(order(7).ofUser(9).paid().at(T0).version(7));

        assertThat(holdings()).containsExactly("1:7:2:OPEN", "1:7:3:OPEN", "2:7:4:OPEN", "1:7:3:PAID", "2:7:4:PAID");
        assertThat(harness.extractOutputValues().get(4).amountCents).isEqualTo(4000);

        harness.setProcessingTime(T0 + RETENTION);
        assertThat(holdings()).endsWith("1:7:3:RETIRED", "2:7:4:RETIRED");
        assertNothingLeft();
    }

    @Test
    void shouldKeepItemsAndAPaymentThatArriveBeforeTheirOrder() throws Exception {
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(3));
        send(payment("P7").ofOrder(7).succeeded().version(5));
        assertThat(holdings()).as("nothing is told before the order row").isEmpty();

        send(order(7).ofUser(9).created().at(T0).version(1));
        assertThat(holdings()).containsExactly("1:7:2:PAID");
        assertThat(harness.extractOutputValues().get(0).userId).isEqualTo(9);

        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).as("a paid order never expires").isEmpty();
    }

    @Test
    void shouldExpireAnUnpaidOrderHoldingDeductOnOrderStockFromItsOwnCreatedAt() throws Exception {
        harness.setProcessingTime(T0 + 2_000); // the row reached the job 2 s after its commit
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2));
        send(item(71).ofOrder(7).sku(PAYMENT_SKU).quantity(1).version(3));

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
        send(order(7).ofUser(9).cancelled().at(T0).version(4));
        assertThat(holdings()).hasSize(4);
        harness.setProcessingTime(T0 + TIMEOUT + RETENTION);
        assertThat(commands()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void shouldSellAgainWhenAPaymentSucceedsAfterTheOrderExpired() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2));
        harness.setProcessingTime(T0 + TIMEOUT);
        send(payment("P7").ofOrder(7).succeeded().version(3));
        assertThat(holdings()).containsExactly("1:7:2:OPEN", "1:7:2:RELEASED", "1:7:2:PAID");
        assertThat(commands()).hasSize(1);
    }

    @Test
    void shouldTakeASaleBackWhenItsPaymentIsNoLongerASuccess() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(PAYMENT_SKU).quantity(2).version(2));
        send(payment("P7")
                .ofOrder(7)
                .wasBefore(PaymentStatus.PAYING)
                .succeeded()
                .version(3));
        send(payment("P8")
                .ofOrder(7)
                .wasBefore(PaymentStatus.PAYING)
                .failed()
                .version(4)); // another payment: changes nothing
        send(payment("P7").ofOrder(7).wasBefore(PaymentStatus.SUCCESS).closed().version(5));
        assertThat(holdings()).containsExactly("2:7:2:OPEN", "2:7:2:PAID", "2:7:2:OPEN");
    }

    @Test
    void shouldExpireAnOverdueOrderWhenItsDeductOnOrderLineArrivesAfterItsOtherLines() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(PAYMENT_SKU).quantity(1).version(2));
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).as("so far only a deduct-on-payment line").isEmpty();
        send(item(71).ofOrder(7).sku(ORDER_SKU).quantity(2).version(3)); // the other line of the same order, late
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_UNPAID:7");
        assertThat(holdings()).containsExactly("2:7:1:OPEN", "1:7:2:RELEASED", "2:7:1:RELEASED");
    }

    @Test
    void shouldNotExpireAnOrderOfDeductOnPaymentSkusOnly() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(PAYMENT_SKU).quantity(2).version(2));
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
        send(order(7).ofUser(9).created().at(T0).version(0));
        send(item(70).ofOrder(7).sku(unknownSku).quantity(1).version(0));
        harness.setProcessingTime(T0 + TIMEOUT + 5_001);
        assertThat(commands()).isEmpty();

        harness.processBroadcastElement(
                sku(unknownSku).stock(5).deductsOnPayment().version(0).change(), T0);
        harness.setProcessingTime(T0 + TIMEOUT + 5_000 + UnpaidExpiry.UNKNOWN_MODE_RECHECK_MS);
        assertThat(commands())
                .as("it turned out to deduct on payment: nothing to expire")
                .isEmpty();

        // A SKU that never shows up in the inventory counts as deduct-on-order after the wait.
        send(order(8).ofUser(9).created().at(T0).version(0));
        send(item(80).ofOrder(8).sku(4).quantity(1).version(0));
        harness.setProcessingTime(T0 + TIMEOUT + 5_001 + 2 * UnpaidExpiry.UNKNOWN_MODE_RECHECK_MS);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_UNPAID:8");
    }

    @Test
    void shouldExpireAnOverdueOrderWhenItsItemsArriveAfterTheDeadline() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).as("no lines yet: nothing to decide on").isEmpty();
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(1).version(2));
        assertThat(commands()).hasSize(1);
        assertThat(holdings()).containsExactly("1:7:1:RELEASED");
    }

    @Test
    void shouldReleaseUnitsWhenTheOrderIsCancelledClosedOrDeleted() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(1).version(2));
        send(order(7).ofUser(9).cancelled().at(T0).version(3));
        send(order(8).ofUser(9).paid().at(T0).version(4));
        send(item(80).ofOrder(8).sku(ORDER_SKU).quantity(2).version(5));
        send(order(8).ofUser(9).closed().at(T0).version(6));
        OrderFixture o9 = order(9).ofUser(9).created().at(T0).version(7);
        send(o9);
        send(item(90).ofOrder(9).sku(ORDER_SKU).quantity(3).version(8));
        send(o9.deleted(9));
        assertThat(holdings())
                .containsExactly(
                        "1:7:1:OPEN", "1:7:1:RELEASED", "1:8:2:PAID", "1:8:2:RELEASED", "1:9:3:OPEN", "1:9:3:RELEASED");
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).isEmpty();
    }

    @Test
    void shouldMoveUnitsWhenALineChangesItsSkuOrIsDeleted() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        ItemFixture line = item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2);
        send(line);
        ItemFixture moved = item(70).ofOrder(7).sku(PAYMENT_SKU).quantity(2).version(3);
        send(moved);
        send(moved.deleted(4));
        // A replayed older insert of the deleted line cannot bring it back.
        send(line);
        assertThat(holdings()).containsExactly("1:7:2:OPEN", "1:7:0:OPEN", "2:7:2:OPEN", "2:7:0:OPEN");
    }

    @Test
    void shouldIgnoreReplayedRows() throws Exception {
        ChangeFixture<?, ?>[] rows = {
            order(7).ofUser(9).created().at(T0).version(1),
            item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2),
            payment("P7").ofOrder(7).succeeded().version(3),
            order(7).ofUser(9).paid().at(T0).version(4)
        };
        for (ChangeFixture<?, ?> r : rows) {
            send(r);
        }
        for (ChangeFixture<?, ?> r : rows) {
            send(r);
        }
        send(rows[0]); // an old CREATED row after PAID
        assertThat(holdings()).containsExactly("1:7:2:OPEN", "1:7:2:PAID");
    }

    @Test
    void shouldSendALineWithoutPositiveQuantityToTheDeadLetters() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(0).version(2));
        assertThat(holdings()).isEmpty();
        assertThat(side(StockOutputs.DEAD_LETTERS))
                .singleElement()
                .satisfies(d -> assertThat(d.reason).contains("quantity 0"));
    }

    @Test
    void shouldExpireOverdueOrdersAtOnceAndOnceAfterARestore() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2));
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
        // The hour down was also the order's retention: released, then retired at once.
        assertThat(holdings()).containsExactly("1:7:2:RELEASED", "1:7:2:RETIRED");
        harness.setProcessingTime(T0 + TIMEOUT + 2 * 3_600_001L);
        assertThat(commands()).hasSize(1);
    }

    // --- state restored from a savepoint taken before OrderStockState.orderPhase existed --------

    @Test
    void shouldExpireAnUnpaidOrderRestoredWithoutAPhaseAtItsDeadline() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2));
        restoreAsAnOlderVersionWroteIt(7L, T0);

        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_UNPAID:7");
        assertThat(holdings()).containsExactly("1:7:2:RELEASED");
        assertThat(orderState(7L).orderPhase).isEqualTo(OrderPhase.EXPIRED);
    }

    @Test
    void shouldSellAnOrderExpiredBeforeThePhaseFieldExistedWhenItsPaymentSucceeds() throws Exception {
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2));
        harness.setProcessingTime(T0 + TIMEOUT);
        restoreAsAnOlderVersionWroteIt(7L, T0 + TIMEOUT);

        send(payment("P7").ofOrder(7).succeeded().version(3));
        assertThat(holdings()).containsExactly("1:7:2:PAID");
        assertThat(orderState(7L).orderPhase)
                .as("derived from the expired flag")
                .isEqualTo(OrderPhase.EXPIRED);
        harness.setProcessingTime(T0 + TIMEOUT + RETENTION);
        assertThat(commands()).as("expired once, before the restore").isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldRetireAReleasedOrderAtTheLedgerForEverySkuItHadALineOf() throws Exception {
        // The ledger keeps a released order it raised an alert for (issue 12) until it is retired.
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2));
        send(item(71).ofOrder(7).sku(PAYMENT_SKU).quantity(1).version(3));
        send(item(71).ofOrder(7).sku(PAYMENT_SKU).quantity(1).deleted(4));
        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_UNPAID:7");
        send(order(8).ofUser(9).cancelled().at(T0).version(5)); // ended when first seen: never told
        assertThat(holdings()).containsExactly("1:7:2:OPEN", "2:7:1:OPEN", "2:7:0:OPEN", "1:7:2:RELEASED");

        harness.setProcessingTime(T0 + TIMEOUT + RETENTION);
        assertThat(holdings().subList(4, holdings().size()))
                .as("order 7 only, the deleted line's SKU too")
                .containsExactlyInAnyOrder("1:7:2:RETIRED", "2:7:0:RETIRED");
        assertNothingLeft();
    }

    // --- state restored from a savepoint taken while an order's lines were a map state -----------

    @Test
    void shouldMoveTheLinesOfAnOrderRestoredFromAMapStateIntoItsStateAndExpireItWithThem() throws Exception {
        onRocksDb(); // the heap backend hands out the stored object itself: a move not written back would pass there
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(ORDER_SKU).quantity(2).version(2));
        send(item(71).ofOrder(7).sku(PAYMENT_SKU).quantity(1).version(3));
        restoreWithLinesInTheMapState(7L, T0);

        send(item(71).ofOrder(7).sku(PAYMENT_SKU).quantity(1).version(3)); // a replay: its line moved with its version
        assertThat(holdings())
                .as("the replay changed nothing (outputs since the restore)")
                .isEmpty();
        assertThat(orderState(7L).lines)
                .extracting(l -> l.itemId + ":" + l.skuId + ":" + l.quantity)
                .containsExactlyInAnyOrder("70:1:2", "71:2:1");
        assertThat(linesInTheMapState(7L)).as("moved out").isEmpty();

        harness.setProcessingTime(T0 + TIMEOUT);
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_UNPAID:7");
        assertThat(holdings()).containsExactlyInAnyOrder("1:7:2:RELEASED", "2:7:1:RELEASED");
        harness.setProcessingTime(T0 + TIMEOUT + RETENTION);
        assertNothingLeft();
    }

    @Test
    void shouldRetireAnOrderRestoredWithItsLinesInAMapStateAndLeaveNothingThere() throws Exception {
        onRocksDb();
        send(order(7).ofUser(9).created().at(T0).version(1));
        send(item(70).ofOrder(7).sku(PAYMENT_SKU).quantity(2).version(2));
        send(payment("P7").ofOrder(7).succeeded().version(3));
        restoreWithLinesInTheMapState(7L, T0);

        harness.setProcessingTime(T0 + RETENTION); // untouched since the restore until its retirement
        assertThat(holdings()).containsExactly("2:7:2:RETIRED");
        assertNothingLeft();
    }

    /**
     * Snapshot and restore the harness with the order's lines in the "order-lines" map state (keyed
     * by item, values without their item id) and none in its state, as the version before wrote it.
     */
    private void restoreWithLinesInTheMapState(long orderId, long now) throws Exception {
        OrderStockState s = orderState(orderId);
        Map<Long, OrderLine> byItem = new LinkedHashMap<>();
        for (OrderLine l : s.lines) {
            byItem.put(l.itemId, new OrderLine(0, l.skuId, l.quantity, l.unitPriceCents, l.version));
        }
        s.lines = null;
        Harnesses.putValueState(harness, orderId, OrderStock.ORDER_STATE, OrderStockState.class, s);
        Harnesses.putMapState(harness, orderId, "order-lines", Types.LONG, StockTypes.ORDER_LINE, byItem);
        restartFromASnapshot(now);
        assertThat(orderState(orderId).lines).as("restored without lines").isNull();
        assertThat(linesInTheMapState(orderId)).hasSize(byItem.size());
    }

    private Map<Long, OrderLine> linesInTheMapState(long orderId) throws Exception {
        return Harnesses.mapState(harness, orderId, "order-lines", Types.LONG, StockTypes.ORDER_LINE);
    }

    /** Snapshot and restore the harness with the order's phase cleared, as an older version wrote it. */
    private void restoreAsAnOlderVersionWroteIt(long orderId, long now) throws Exception {
        OrderStockState s = orderState(orderId);
        s.orderPhase = null;
        Harnesses.putValueState(harness, orderId, OrderStock.ORDER_STATE, OrderStockState.class, s);
        restartFromASnapshot(now);
        assertThat(orderState(orderId).orderPhase)
                .as("restored without a phase")
                .isNull();
    }

    /** Starts this test over on RocksDB, the jobs' state backend: state read is a copy there. */
    private void onRocksDb() throws Exception {
        harness.close();
        rocksDb = true;
        open();
    }

    /** A snapshot now, and a new harness restored from it, as a job restarting from a savepoint. */
    private void restartFromASnapshot(long now) throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(1L, now);
        harness.close();
        harness = newHarness();
        harness.setProcessingTime(now);
        harness.initializeState(snapshot);
        harness.open();
    }

    private OrderStockState orderState(long orderId) throws Exception {
        return Harnesses.valueState(harness, orderId, OrderStock.ORDER_STATE, OrderStockState.class);
    }

    private void send(ChangeFixture<?, ?> row) throws Exception {
        send(row.change());
    }

    private void send(RowChange<?> change) throws Exception {
        harness.processElement(shopChange(change), T0);
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
        return Harnesses.sideOutput(harness, tag);
    }

    private void assertNothingLeft() {
        Harnesses.assertNothingLeft(harness);
    }

    private KeyedBroadcastOperatorTestHarness<Long, ShopChange, RowChange<InventoryRow>, StockHolding> newHarness()
            throws Exception {
        OrderStock fn = OrderStock.builder()
                .payTimeout(Duration.ofMillis(TIMEOUT))
                .retention(Duration.ofMillis(RETENTION))
                .safetyTtl(Duration.ofDays(3))
                .build();
        KeyedBroadcastOperatorTestHarness<Long, ShopChange, RowChange<InventoryRow>, StockHolding> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(fn, List.of(OrderStock.DEDUCT_MODES)),
                        OrderStock::orderIdOf,
                        Types.LONG,
                        1,
                        1,
                        0);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }
}
