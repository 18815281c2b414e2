package io.paystream.functions.stock;

import static io.paystream.functions.testing.Fixtures.item;
import static io.paystream.functions.testing.Fixtures.order;
import static io.paystream.functions.testing.Fixtures.payment;
import static io.paystream.functions.testing.Fixtures.shopChange;
import static io.paystream.functions.testing.Fixtures.sku;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.ChangeFixture;
import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.SkuFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.stock.StockHolding;
import io.paystream.state.stock.StockLevel;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order stage ({@link OrderStock}) and the SKU ledger ({@link StockLedger}) together, as the
 * job connects them: every holding the order stage emits is handed to the ledger, in order.
 */
class OrderStockToLedgerTest {
    private static final Duration PAY_TIMEOUT = Duration.ofSeconds(30); // the soak's order.pay-timeout
    private static final Duration RETENTION = Duration.ofHours(1);

    // The soak's catalogue (issue 12): limited tea deducts on payment, the red envelopes on order.
    private static final long LIMITED_TEA = 1026; // per_user_limit 3
    private static final long PLAIN_TEA = 1038;
    private static final long RED_ENVELOPES = 1021; // per_user_limit 3
    private static final long OTHER_SKU = 1032;

    private static final long USER = 1686;
    private static final long EARLIER_ORDER = 179615312492756L; // 2 units of the limited tea, paid
    private static final long LAGGING_ORDER = 179615312493606L; // 2 more: the one beyond the limit
    private static final long EARLIER_CREATED_AT = 1796153397954L;
    private static final long LAGGING_CREATED_AT = 1796153557102L;

    private KeyedBroadcastOperatorTestHarness<Long, ShopChange, RowChange<InventoryRow>, StockHolding> orderStage;
    private KeyedTwoInputStreamOperatorTestHarness<Long, RowChange<InventoryRow>, StockHolding, StockLevel> ledger;
    private int holdingsHandedOn;

    @BeforeEach
    void open() throws Exception {
        OrderStock fn = OrderStock.builder()
                .payTimeout(PAY_TIMEOUT)
                .retention(RETENTION)
                .safetyTtl(Duration.ofDays(3))
                .build();
        orderStage = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, List.of(OrderStock.DEDUCT_MODES)),
                OrderStock::orderIdOf,
                Types.LONG,
                1,
                1,
                0);
        orderStage.open();
        ledger = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new StockLedger(true)), c -> c.row().skuId, h -> h.skuId, Types.LONG);
        ledger.open();
        at(EARLIER_CREATED_AT);
        inventory(sku(LIMITED_TEA).stock(143).deductsOnPayment().limitPerUser(3).version(1));
        inventory(sku(PLAIN_TEA).stock(5060).deductsOnPayment().version(2));
        inventory(sku(RED_ENVELOPES).stock(125).deductsOnOrder().limitPerUser(3).version(3));
        inventory(sku(OTHER_SKU).stock(500).deductsOnPayment().version(4));
    }

    @AfterEach
    void close() throws Exception {
        orderStage.close();
        ledger.close();
    }

    /**
     * Issue 12, the fault soak's duplicate {@code PURCHASE_LIMIT_EXCEEDED:1026:179615312493606}: the
     * job read the order's rows 31 s after it was created (behind the binlog after a Kafka outage),
     * so it expired the order unpaid (its red envelopes deduct on order) although the shop had
     * marked it PAID 3.8 s after creation. The ledger saw the order's tea OPEN (limit raised, the
     * order cancelled), RELEASED, then PAID when the payment was read: the released entry had been
     * dropped with its "raised" flag, and the paid one raised the same alert id again.
     */
    @Test
    void shouldRaiseThePurchaseLimitOnceForAnOrderExpiredWhileTheJobLaggedAndPaidAfterwards() throws Exception {
        // The user's earlier order: 2 units of the limited tea, paid.
        send(order(EARLIER_ORDER).ofUser(USER).created().at(EARLIER_CREATED_AT).version(10));
        send(item(1796153124927560L)
                .ofOrder(EARLIER_ORDER)
                .sku(OTHER_SKU)
                .quantity(1)
                .version(11));
        send(item(1796153124927561L)
                .ofOrder(EARLIER_ORDER)
                .sku(LIMITED_TEA)
                .quantity(2)
                .unitPriceCents(3100)
                .version(11));
        send(payment("P179615312492756")
                .ofOrder(EARLIER_ORDER)
                .wasBefore(PaymentStatus.PAYING)
                .succeeded()
                .at(EARLIER_CREATED_AT + 3_565)
                .version(12));
        send(order(EARLIER_ORDER).ofUser(USER).paid().at(EARLIER_CREATED_AT).version(13));
        assertThat(alerts()).isEmpty();

        // The lagging order's rows are read 31.254 s after it was created, past its 30 s deadline.
        at(LAGGING_CREATED_AT + 31_254);
        send(order(LAGGING_ORDER).ofUser(USER).created().at(LAGGING_CREATED_AT).version(20));
        send(item(1796153124936060L)
                .ofOrder(LAGGING_ORDER)
                .sku(LIMITED_TEA)
                .quantity(2)
                .unitPriceCents(3100)
                .version(21));
        send(item(1796153124936061L)
                .ofOrder(LAGGING_ORDER)
                .sku(PLAIN_TEA)
                .quantity(2)
                .unitPriceCents(22350)
                .version(21));
        send(item(1796153124936062L)
                .ofOrder(LAGGING_ORDER)
                .sku(RED_ENVELOPES)
                .quantity(2)
                .unitPriceCents(3100)
                .version(21));
        assertThat(orderCommands()).extracting(c -> c.commandId).containsExactly("CANCEL_UNPAID:" + LAGGING_ORDER);
        assertThat(alerts())
                .extracting(a -> a.alertId)
                .containsExactly("PURCHASE_LIMIT_EXCEEDED:" + LIMITED_TEA + ":" + LAGGING_ORDER);
        assertThat(ledgerCommands())
                .extracting(c -> c.commandId)
                .containsExactly("CANCEL_OVER_LIMIT:" + LAGGING_ORDER + ":" + LIMITED_TEA);

        // Then the payment and the shop's PAID row are read: the units are sold again.
        at(LAGGING_CREATED_AT + 34_138);
        send(payment("P179615312493606")
                .ofOrder(LAGGING_ORDER)
                .via(PaymentChannel.WECHAT)
                .wasBefore(PaymentStatus.PAYING)
                .succeeded()
                .at(LAGGING_CREATED_AT + 3_632)
                .version(22));
        send(order(LAGGING_ORDER).ofUser(USER).paid().at(LAGGING_CREATED_AT).version(23));
        assertThat(level(LIMITED_TEA)).as("both orders' tea sold").isEqualTo("143/0/4/139");
        assertThat(alerts()).as("raised once").hasSize(1);
        assertThat(ledgerCommands()).as("cancelled once").hasSize(1);

        // After the retention both orders are forgotten by both stages: only the SKUs' counts stay.
        at(LAGGING_CREATED_AT + 34_138 + RETENTION.toMillis());
        Harnesses.assertNothingLeft(orderStage);
        assertThat(ledger.numKeyedStateEntries())
                .as("the four SKUs' counts, no order or user entry")
                .isEqualTo(4);
        assertThat(ledger.numProcessingTimeTimers()).isZero();
        assertThat(level(LIMITED_TEA)).as("sold stays sold").isEqualTo("143/0/4/139");
        assertThat(alerts()).hasSize(1);
    }

    /** Both stages' processing time; the order stage's timers fire, their holdings are handed on. */
    private void at(long now) throws Exception {
        orderStage.setProcessingTime(now);
        ledger.setProcessingTime(now);
        handOn();
    }

    private void inventory(SkuFixture row) throws Exception {
        orderStage.processBroadcastElement(row.change(), 0);
        ledger.processElement1(row.change(), 0);
    }

    private void send(ChangeFixture<?, ?> row) throws Exception {
        orderStage.processElement(shopChange(row.change()), 0);
        handOn();
    }

    /** What the order stage emitted since the last call, to the ledger in the same order. */
    private void handOn() throws Exception {
        List<StockHolding> emitted = orderStage.extractOutputValues();
        for (; holdingsHandedOn < emitted.size(); holdingsHandedOn++) {
            ledger.processElement2(emitted.get(holdingsHandedOn), 0);
        }
    }

    private String level(long skuId) {
        StockLevel l = ledger.extractOutputValues().stream()
                .filter(s -> s.skuId == skuId)
                .reduce((a, b) -> b)
                .orElseThrow();
        return l.total + "/" + l.reserved + "/" + l.sold + "/" + l.available;
    }

    private List<Alert> alerts() {
        return Harnesses.sideOutput(ledger, StockOutputs.ALERTS);
    }

    private List<OrderCommand> orderCommands() {
        return Harnesses.sideOutput(orderStage, StockOutputs.COMMANDS);
    }

    private List<OrderCommand> ledgerCommands() {
        return Harnesses.sideOutput(ledger, StockOutputs.COMMANDS);
    }
}
