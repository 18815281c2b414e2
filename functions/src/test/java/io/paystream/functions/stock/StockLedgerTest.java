package io.paystream.functions.stock;

import static io.paystream.functions.testing.Fixtures.holding;
import static io.paystream.functions.testing.Fixtures.sku;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.HoldingFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.SkuHolding;
import io.paystream.state.stock.StockHolding;
import io.paystream.state.stock.StockLevel;
import io.paystream.state.stock.StockTypes;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StockLedgerTest {
    private static final long T0 = 1_000_000L;
    private static final long SKU = 5;

    private KeyedTwoInputStreamOperatorTestHarness<Long, RowChange<InventoryRow>, StockHolding, StockLevel> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new StockLedger(true)), c -> c.row().skuId, h -> h.skuId, Types.LONG);
        harness.open();
        harness.setProcessingTime(T0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldReserveOnOrderSellOnPaymentAndReleaseWhereTheSkuDeductsOnOrder() throws Exception {
        stock(10, DeductMode.ORDER, null, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).open().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(101).units(3).open().revision(1));
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(2));
        hold(holding(2).ofSku(SKU).ofUser(101).units(3).released().revision(2));
        assertThat(levels()).containsExactly("10/0/0/10", "10/2/0/8", "10/5/0/5", "10/3/2/5", "10/0/2/8");
        StockLevel last = last();
        assertThat(last.mode).isEqualTo("ORDER");
        assertThat(last.version).isEqualTo(5);
        assertThat(last.updatedAt).isEqualTo(T0);
        assertThat(harness.numKeyedStateEntries())
                .as("ledger, one holding, one user")
                .isEqualTo(3);
    }

    @Test
    void shouldDeductOnlyOnPaymentWhereTheSkuDeductsOnPayment() throws Exception {
        stock(10, DeductMode.PAYMENT, null, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).open().revision(1));
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(2));
        assertThat(levels()).as("an unpaid order moves nothing").containsExactly("10/0/0/10", "10/0/2/8");
    }

    @Test
    void shouldCountARepeatedOrReplayedHoldingOnce() throws Exception {
        stock(10, DeductMode.ORDER, null, 1);
        HoldingFixture h = holding(1).ofSku(SKU).ofUser(100).units(2).open().revision(1);
        hold(h);
        hold(h);
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(2));
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(2));
        hold(h); // an older revision after a newer one
        assertThat(levels()).containsExactly("10/0/0/10", "10/2/0/8", "10/0/2/8");
    }

    @Test
    void shouldShowAnOperatorsStockChangeAtOnce() throws Exception {
        stock(10, DeductMode.ORDER, 3, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).open().revision(1));
        stock(50, DeductMode.ORDER, 3, 2);
        stock(50, DeductMode.PAYMENT, 3, 3);
        harness.processElement1(
                sku(SKU).stock(50).deductsOnPayment().limitPerUser(3).version(3).deleted(4), T0);
        assertThat(levels()).containsExactly("10/0/0/10", "10/2/0/8", "50/2/0/48", "50/0/0/50", "0/0/0/0");
    }

    @Test
    void shouldRaiseOversoldForEachPaidOrderBeyondTheStock() throws Exception {
        stock(3, DeductMode.PAYMENT, null, 1);
        for (int order = 1; order <= 5; order++) {
            hold(holding(order).ofSku(SKU).ofUser(100 + order).units(1).paid().revision(1));
        }
        assertThat(last().available).isEqualTo(-2);
        assertThat(last().oversold).isEqualTo(2);
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("OVERSOLD:5:4", "OVERSOLD:5:5");
        Alert a = alerts().get(0);
        assertThat(a.type).isEqualTo(Alert.OVERSOLD);
        assertThat(a.skuId).isEqualTo(SKU);
        assertThat(a.orderId).isEqualTo(4L);
        assertThat(a.userId).isEqualTo(104L);
        assertThat(a.amount).isEqualTo("10.00");
        // A repeat of an oversold order's holding raises nothing again.
        hold(holding(5).ofSku(SKU).ofUser(105).units(1).paid().revision(2));
        assertThat(alerts()).hasSize(2);
    }

    @Test
    void shouldRaiseOversoldForTheLatestSalesWhenTheStockIsCutBelowTheSold() throws Exception {
        stock(10, DeductMode.ORDER, null, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(3).paid().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(100).units(3).paid().revision(1));
        hold(holding(3).ofSku(SKU).ofUser(100).units(3).paid().revision(1));
        assertThat(alerts()).isEmpty();
        stock(4, DeductMode.ORDER, null, 2);
        assertThat(alerts()).extracting(a -> a.alertId).containsExactlyInAnyOrder("OVERSOLD:5:3", "OVERSOLD:5:2");
    }

    @Test
    void shouldJudgeSalesThatCameBeforeTheInventoryRowWhenItArrives() throws Exception {
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).paid().revision(1));
        assertThat(alerts()).as("no stock known yet: nothing to judge").isEmpty();
        assertThat(last().mode).isEqualTo("ORDER");
        stock(3, DeductMode.PAYMENT, null, 0);
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("OVERSOLD:5:2");
        assertThat(levels()).endsWith("3/0/4/-1");
    }

    @Test
    void shouldRaiseTheLimitForTheOrderThatTakesAUserBeyondItAndCancelItIfUnpaid() throws Exception {
        stock(100, DeductMode.ORDER, 3, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(100).units(1).open().revision(1));
        hold(holding(9).ofSku(SKU).ofUser(200).units(3).open().revision(1)); // another user
        assertThat(alerts()).isEmpty();
        hold(holding(3).ofSku(SKU).ofUser(100).units(2).open().revision(1));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.alertId).isEqualTo("PURCHASE_LIMIT_EXCEEDED:5:3");
            assertThat(a.userId).isEqualTo(100L);
            assertThat(a.reason).contains("holds 5 units", "limit 3");
        });
        assertThat(commands()).singleElement().satisfies(c -> {
            assertThat(c.type).isEqualTo(OrderCommand.CANCEL_OVER_LIMIT);
            assertThat(c.commandId).isEqualTo("CANCEL_OVER_LIMIT:3:5");
            assertThat(c.orderId).isEqualTo(3);
        });
        // Cancelled: the user is back at 3; the same order paid later does not raise it again.
        hold(holding(3).ofSku(SKU).ofUser(100).units(2).released().revision(2));
        hold(holding(4).ofSku(SKU).ofUser(100).units(1).paid().revision(1));
        assertThat(alerts())
                .extracting(a -> a.alertId)
                .containsExactly("PURCHASE_LIMIT_EXCEEDED:5:3", "PURCHASE_LIMIT_EXCEEDED:5:4");
        assertThat(commands()).as("a paid order is not cancelled").hasSize(1);
    }

    @Test
    void shouldRaiseTheLimitForTheLaterCreatedOrderWhateverOrderTheyArriveIn() throws Exception {
        stock(100, DeductMode.ORDER, 3, 1);
        hold(holding(8)
                .ofSku(SKU)
                .ofUser(100)
                .units(2)
                .open()
                .revision(1)); // created after order 7, told first (another subtask)
        hold(holding(7).ofSku(SKU).ofUser(100).units(2).open().revision(1));
        hold(holding(7).ofSku(SKU).ofUser(100).units(2).paid().revision(2));
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("PURCHASE_LIMIT_EXCEEDED:5:8");
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_OVER_LIMIT:8:5");
    }

    @Test
    void shouldKeepSoldUnitsAndForgetTheOrderWhenItIsRetired() throws Exception {
        stock(10, DeductMode.ORDER, 1, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(1).paid().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(101).units(1).open().revision(1));
        hold(holding(1).ofSku(SKU).ofUser(100).units(1).retired().revision(2));
        hold(holding(2).ofSku(SKU).ofUser(101).units(1).retired().revision(2));
        assertThat(levels()).containsExactly("10/0/0/10", "10/0/1/9", "10/1/1/8", "10/0/1/9");
        assertThat(harness.numKeyedStateEntries())
                .as("only the SKU's counts are left")
                .isEqualTo(1);
        // The user's retired units no longer count against the limit.
        hold(holding(3).ofSku(SKU).ofUser(100).units(1).open().revision(1));
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldRaiseTheLimitOnceForAnOrderReleasedAndThenPaid() throws Exception {
        // Issue 12: the order stage expired the order unpaid while it lagged behind the binlog, then
        // read its payment: OPEN, RELEASED, PAID. The alert and the cancel keep their one id each.
        stock(100, DeductMode.PAYMENT, 3, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).open().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).released().revision(2));
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).paid().revision(3));
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("PURCHASE_LIMIT_EXCEEDED:5:2");
        assertThat(commands()).extracting(c -> c.commandId).containsExactly("CANCEL_OVER_LIMIT:2:5");
        assertThat(levels()).endsWith("100/0/4/96");
        // Released once more and paid once more: still nothing new.
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).released().revision(4));
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).paid().revision(5));
        assertThat(alerts()).hasSize(1);
        assertThat(commands()).hasSize(1);

        hold(holding(1).ofSku(SKU).ofUser(100).units(2).retired().revision(2));
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).retired().revision(6));
        assertThat(harness.numKeyedStateEntries())
                .as("only the SKU's counts are left")
                .isEqualTo(1);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldRememberAReleasedOrderItRaisedAnAlertForUntilItIsRetired() throws Exception {
        stock(100, DeductMode.ORDER, 3, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).open().revision(1));
        hold(holding(3).ofSku(SKU).ofUser(101).units(1).open().revision(1)); // no alert: leaves at once
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).released().revision(2));
        hold(holding(3).ofSku(SKU).ofUser(101).units(1).released().revision(2));
        assertThat(levels()).endsWith("100/0/2/98");
        assertThat(heldOrders()).as("order 1's units, order 2's raised alert").containsOnlyKeys(1L, 2L);
        assertThat(heldOrders().get(2L)).satisfies(e -> {
            assertThat(e.phase).isEqualTo(HoldingPhase.RELEASED);
            assertThat(e.quantity).isZero();
            assertThat(e.overLimit).isTrue();
        });
        // An older holding of the released order is still stale.
        hold(holding(2).ofSku(SKU).ofUser(100).units(2).open().revision(1));
        assertThat(levels()).endsWith("100/0/2/98");

        hold(holding(2).ofSku(SKU).ofUser(100).units(0).retired().revision(3));
        hold(holding(3).ofSku(SKU).ofUser(101).units(0).retired().revision(3)); // nothing kept of it
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).retired().revision(2));
        assertThat(harness.numKeyedStateEntries())
                .as("only the SKU's counts are left")
                .isEqualTo(1);
        assertThat(levels()).endsWith("100/0/2/98");
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("PURCHASE_LIMIT_EXCEEDED:5:2");
    }

    @Test
    void shouldRaiseOversoldOnceForASaleTakenBackAndMadeAgain() throws Exception {
        stock(2, DeductMode.PAYMENT, null, 1);
        hold(holding(1).ofSku(SKU).ofUser(100).units(2).paid().revision(1));
        hold(holding(2).ofSku(SKU).ofUser(101).units(1).paid().revision(1));
        // Its payment taken back after the order had expired, then another payment of it succeeds.
        hold(holding(2).ofSku(SKU).ofUser(101).units(1).released().revision(2));
        hold(holding(2).ofSku(SKU).ofUser(101).units(1).paid().revision(3));
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("OVERSOLD:5:2");
        assertThat(levels()).endsWith("2/0/3/-1");
        // A cut of the stock walks the sales: the released-and-sold-again order is not raised again.
        stock(1, DeductMode.PAYMENT, null, 2);
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("OVERSOLD:5:2", "OVERSOLD:5:1");
    }

    private void stock(int stock, DeductMode mode, Integer limit, long version) throws Exception {
        harness.processElement1(
                sku(SKU).stock(stock)
                        .deducts(mode)
                        .limitPerUser(limit)
                        .version(version)
                        .change(),
                T0);
    }

    private void hold(HoldingFixture h) throws Exception {
        harness.processElement2(h.build(), T0);
    }

    /** The SKU's per-order entries. */
    private Map<Long, SkuHolding> heldOrders() throws Exception {
        return Harnesses.mapState(harness, SKU, StockLedger.HOLDINGS_STATE, Types.LONG, StockTypes.SKU_HOLDING);
    }

    private List<String> levels() {
        return harness.extractOutputValues().stream()
                .map(l -> l.total + "/" + l.reserved + "/" + l.sold + "/" + l.available)
                .collect(Collectors.toList());
    }

    private StockLevel last() {
        List<StockLevel> all = harness.extractOutputValues();
        return all.get(all.size() - 1);
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
