package io.paystream.functions.reconcile;

import static io.paystream.functions.testing.Harnesses.sideOutput;
import static io.paystream.functions.testing.Harnesses.valueState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.functions.options.InvalidOptionsException;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.reconcile.ReconcileClass;
import io.paystream.state.reconcile.ReconcileFinding;
import io.paystream.state.reconcile.ReconcileKeyState;
import io.paystream.state.reconcile.ShopSide;
import io.paystream.state.reconcile.ShopStatus;
import io.paystream.state.shop.PaymentChannel;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BillReconciliationTest {
    private static final String DAY1 = "2026-12-01";
    private static final BillCalendar DAYS = BillCalendar.BEIJING_DAYS;
    private static final long SHOP_WAIT = Duration.ofMinutes(5).toMillis();
    private static final long GRACE = 5_000;
    /** Processing time: the morning after day 1, when its bill is read. */
    private static final long NOW = DAYS.startOf(LocalDate.parse(DAY1).plusDays(1))
            + Duration.ofHours(10).toMillis();

    private KeyedTwoInputStreamOperatorTestHarness<String, BillLine, ShopSide, ReconcileFinding> harness;
    private long version;

    @BeforeEach
    void open() throws Exception {
        harness = harness(BillReconciliation.builder().firstDay(DAY1).build());
        harness.setProcessingTime(NOW);
        // The shop's rows never hold bill time back (as in the job).
        harness.processWatermark2(new Watermark(Long.MAX_VALUE));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aMatchedPaymentIsPublishedOnceAndARereadBillChangesNothing() throws Exception {
        shop(payment("P1").amount(10_000).succeededOn(DAY1));
        bill(paid("P1").amount(10_000).on(DAY1));
        assertThat(findings()).singleElement().satisfies(f -> {
            assertThat(f.findingClass).isEqualTo(ReconcileClass.MATCHED);
            assertThat(f.id).isEqualTo("recon:WECHAT:PAYMENT:P1:MATCHED");
            assertThat(f.billAmountFen).isEqualTo(10_000L);
            assertThat(f.shopAmountFen).isEqualTo(10_000L);
        });
        assertThat(alerts()).isEmpty();

        bill(paid("P1").amount(10_000).on(DAY1)); // the same file read again
        shop(payment("P1").amount(10_000).succeededOn(DAY1)); // its row updated, nothing changed
        assertThat(findings()).hasSize(1);

        billsReadUpTo(LocalDate.parse(DAY1).plusDays(3 + 7).toString());
        assertThat(findings()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void aChargeTheShopNeverHeardOfWaitsForTheShopThenIsAlertedAndTheBusinessRenotified() throws Exception {
        shop(payment("P2").ofOrder(77).amount(5_000).paying());
        bill(paid("P2").amount(5_000).on(DAY1).txn("4200000001"));
        assertThat(findings()).as("the row may only lag").isEmpty();

        harness.setProcessingTime(NOW + SHOP_WAIT);
        assertThat(findings()).singleElement().satisfies(f -> {
            assertThat(f.findingClass).isEqualTo(ReconcileClass.CHANNEL_ONLY);
            assertThat(f.shopStatus).isEqualTo(ShopStatus.IN_PROGRESS);
        });
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.RECONCILE_CHANNEL_ONLY);
            assertThat(a.alertId).isEqualTo("recon:WECHAT:PAYMENT:P2:CHANNEL_ONLY");
            assertThat(a.paymentId).isEqualTo("P2");
            assertThat(a.orderId).isEqualTo(77L);
            assertThat(a.amount).isEqualTo("50.00");
        });
        assertThat(commands()).singleElement().satisfies(c -> {
            assertThat(c.type).isEqualTo(OrderCommand.RENOTIFY_BUSINESS);
            assertThat(c.commandId).isEqualTo("RENOTIFY_BUSINESS:P2:bill:" + DAY1);
            assertThat(c.orderId).isEqualTo(77L);
            assertThat(c.channelTxnId).isEqualTo("4200000001");
            assertThat(c.amount).isEqualTo("50.00");
        });

        // The business applied it: the row turns SUCCESS, and the discrepancy is resolved.
        shop(payment("P2").ofOrder(77).amount(5_000).succeededOn(DAY1));
        assertThat(findings()).last().satisfies(f -> assertThat(f.findingClass).isEqualTo(ReconcileClass.MATCHED));
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void aChargeWithNoRowAtAllIsChannelOnlyWithoutARenotification() throws Exception {
        bill(paid("P-FOREIGN").amount(100).on(DAY1));
        harness.setProcessingTime(NOW + SHOP_WAIT);
        assertThat(findings()).singleElement().satisfies(f -> {
            assertThat(f.findingClass).isEqualTo(ReconcileClass.CHANNEL_ONLY);
            assertThat(f.shopStatus).isNull();
        });
        assertThat(commands()).as("no row: no order to re-notify").isEmpty();
    }

    @Test
    void aRowThatOnlyLaggedTheBillIsMatchedAndNeverAlerted() throws Exception {
        bill(paid("P3").amount(2_500).on(DAY1));
        harness.setProcessingTime(NOW + SHOP_WAIT / 2);
        shop(payment("P3").amount(2_500).succeededOn(DAY1));
        harness.setProcessingTime(NOW + SHOP_WAIT);
        assertThat(findings())
                .singleElement()
                .satisfies(f -> assertThat(f.findingClass).isEqualTo(ReconcileClass.MATCHED));
        assertThat(alerts()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aSuccessNoBillCarriesIsHeldThroughThePendingDaysThenAlertedLocalOnly() throws Exception {
        shop(payment("P4").amount(3_000).succeededOn(DAY1));
        billsReadUpTo(DAY1);
        billsReadUpTo("2026-12-03");
        assertThat(findings()).as("a later bill may still carry it").isEmpty();

        billsReadUpTo("2026-12-04"); // the third day after: the last pending bill
        assertThat(findings()).singleElement().satisfies(f -> {
            assertThat(f.findingClass).isEqualTo(ReconcileClass.LOCAL_ONLY);
            assertThat(f.alertableAt).isEqualTo(DAYS.startOf(LocalDate.parse("2026-12-05")));
        });
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.type).isEqualTo(Alert.RECONCILE_LOCAL_ONLY));

        billsReadUpTo("2026-12-11");
        assertThat(findings()).hasSize(1);
        assertNothingLeft();
    }

    @Test
    void aSuccessBookedOnALaterDaysBillIsMatchedAndNeverLocalOnly() throws Exception {
        shop(payment("P5").amount(3_000).succeededOn(DAY1));
        billsReadUpTo(DAY1);
        bill(paid("P5").amount(3_000).on("2026-12-02"));
        billsReadUpTo("2026-12-10");
        assertThat(findings())
                .singleElement()
                .satisfies(f -> assertThat(f.findingClass).isEqualTo(ReconcileClass.MATCHED));
    }

    @Test
    void amountsAndStatusesThatDisagreeAreAlertedAfterTheShopWait() throws Exception {
        shop(payment("P6").amount(10_000).succeededOn(DAY1));
        bill(paid("P6").amount(9_900).on(DAY1));
        shop(payment("P7").amount(10_000).closed());
        bill(paid("P7").amount(10_000).on(DAY1));
        shop(payment("P8").amount(10_000).succeededOn(DAY1));
        bill(paid("P8").amount(10_000).on(DAY1).revoked());
        assertThat(findings()).isEmpty();

        harness.setProcessingTime(NOW + SHOP_WAIT);
        assertThat(findings())
                .extracting(f -> f.paymentId + " " + f.findingClass)
                .containsExactlyInAnyOrder("P6 AMOUNT_MISMATCH", "P7 STATUS_MISMATCH", "P8 STATUS_MISMATCH");
        assertThat(alerts())
                .extracting(a -> a.type)
                .containsExactlyInAnyOrder(
                        Alert.RECONCILE_AMOUNT_MISMATCH,
                        Alert.RECONCILE_STATUS_MISMATCH,
                        Alert.RECONCILE_STATUS_MISMATCH);
        assertThat(commands())
                .as("only a charge against an unpaid row re-notifies")
                .isEmpty();
    }

    @Test
    void refundsAreReconciledByTheirOwnId() throws Exception {
        shop(refund("R1").ofPayment("P9").amount(1_000).succeededOn(DAY1));
        BillLine line = paid("P9").amount(1_000).on(DAY1).line;
        line.kind = BillLineKind.REFUND;
        line.refundId = "R1";
        bill(line);
        assertThat(findings()).singleElement().satisfies(f -> {
            assertThat(f.id).isEqualTo("recon:WECHAT:REFUND:R1:MATCHED");
            assertThat(f.paymentId).isEqualTo("P9");
        });
    }

    @Test
    void successesBeforeTheFirstReconciledDayAreNeverLocalOnlyAndOlderRowsNotKept() throws Exception {
        shop(payment("P-OLD").amount(100).succeededOn("2026-11-30")); // kept: day 1's bill may carry it
        shop(payment("P-ANCIENT").amount(100).succeededOn("2025-01-01")); // long before: not kept
        assertThat(this.<ReconcileKeyState>state("P-ANCIENT")).isNull();
        billsReadUpTo("2026-12-05");
        assertThat(findings()).isEmpty();

        billsReadUpTo("2026-12-20");
        assertNothingLeft();
    }

    @Test
    void aLineOfABillOlderThanTheKeptDaysIsADeadLetter() throws Exception {
        billsReadUpTo("2026-12-20");
        bill(paid("P10").amount(100).on(DAY1));
        assertThat(findings()).isEmpty();
        List<DeadLetter> dead = sideOutput(harness, BillReconciliation.DEAD_LETTERS);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.source).isEqualTo("bill:WECHAT_2026-12-01.csv:5");
            assertThat(d.reason).contains("reconcile.keep-days");
        });
        assertNothingLeft();
    }

    @Test
    void aReplayedOrOlderRowChangesNothing() throws Exception {
        ShopSide paying = payment("P11").amount(100).paying();
        ShopSide success = payment("P11").amount(100).succeededOn(DAY1);
        shop(paying);
        shop(success);
        harness.processElement2(new StreamRecord<>(paying)); // the older change, replayed
        assertThat(this.<ReconcileKeyState>state("P11").shop.status).isEqualTo(ShopStatus.SUCCESS);
    }

    @Test
    void aDiscrepancyDueAtARestoreWaitsForTheRowsReplayedFromTheCheckpoint() throws Exception {
        bill(paid("P12").amount(700).on(DAY1)); // its row not read yet
        bill(paid("P13").amount(800).on(DAY1)); // no row at all
        OperatorSubtaskState checkpoint = harness.snapshot(1L, NOW + 1_000);
        // The row of P12 was read after the checkpoint; the job crashed and is back after the wait.
        long back = NOW + SHOP_WAIT + 60_000;
        restore(checkpoint, back);
        harness.setProcessingTime(back + 1); // the overdue confirmations come due
        assertThat(findings()).as("held for the restore grace").isEmpty();
        shop(payment("P12").amount(700).succeededOn(DAY1)); // replayed from the checkpoint
        harness.setProcessingTime(back + GRACE);
        assertThat(findings())
                .extracting(f -> f.paymentId + " " + f.findingClass)
                .containsExactlyInAnyOrder("P12 MATCHED", "P13 CHANNEL_ONLY");
        assertThat(alerts())
                .singleElement()
                .satisfies(a -> assertThat(a.paymentId).isEqualTo("P13"));
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void everyBadSettingIsNamed() {
        assertThatThrownBy(() -> BillReconciliation.builder()
                        .firstDay("yesterday")
                        .pendingDays(-1)
                        .keepDays(0)
                        .calendar("midnight", Duration.ZERO)
                        .build())
                .isInstanceOf(InvalidOptionsException.class)
                .hasMessageContaining("reconcile.first-day")
                .hasMessageContaining("reconcile.pending-days")
                .hasMessageContaining("reconcile.keep-days")
                .hasMessageContaining("reconcile.calendar.first-day-start")
                .hasMessageContaining("reconcile.calendar.day-length");
        assertThatThrownBy(() -> BillReconciliation.builder().build())
                .hasMessageContaining("reconcile.first-day: required");
    }

    // --- fixtures -------------------------------------------------------------------------------

    private static ShopRecord payment(String id) {
        return new ShopRecord(ShopSide.payment(PaymentChannel.WECHAT, id, 0, ShopStatus.CREATED, 0));
    }

    private static ShopRecord refund(String id) {
        return new ShopRecord(ShopSide.refund(PaymentChannel.WECHAT, null, id, 0, ShopStatus.CREATED, 0));
    }

    /** A shop record being described: {@code payment("P1").amount(100).succeededOn(DAY1)}. */
    private static final class ShopRecord {
        final ShopSide side;

        ShopRecord(ShopSide side) {
            this.side = side;
            side.orderId = 1;
            side.createdAtMs = DAYS.startOf(LocalDate.parse(DAY1)) + 3_600_000;
        }

        ShopRecord amount(long fen) {
            side.amountFen = fen;
            return this;
        }

        ShopRecord ofOrder(long orderId) {
            side.orderId = orderId;
            return this;
        }

        ShopRecord ofPayment(String paymentId) {
            side.paymentId = paymentId;
            return this;
        }

        ShopSide paying() {
            side.status = ShopStatus.IN_PROGRESS;
            return side;
        }

        ShopSide closed() {
            side.status = ShopStatus.CLOSED;
            return side;
        }

        ShopSide succeededOn(String day) {
            side.status = ShopStatus.SUCCESS;
            side.successAtMs = DAYS.startOf(LocalDate.parse(day)) + 12 * 3_600_000L;
            side.createdAtMs = Math.min(side.createdAtMs, side.successAtMs);
            return side;
        }
    }

    private static BillLineFixture paid(String paymentId) {
        return new BillLineFixture(paymentId);
    }

    /** A bill line being described: {@code paid("P1").amount(100).on(DAY1)}. */
    private static final class BillLineFixture {
        final BillLine line = new BillLine();

        BillLineFixture(String paymentId) {
            line.channel = PaymentChannel.WECHAT;
            line.kind = BillLineKind.PAYMENT;
            line.paymentId = paymentId;
            line.tradeStatus = "SUCCESS";
            line.outcome = BillOutcome.SUCCESS;
            line.channelTxnId = "4200" + paymentId;
            line.lineNumber = 5;
        }

        BillLineFixture amount(long fen) {
            line.amountFen = fen;
            line.settledFen = fen;
            return this;
        }

        BillLineFixture txn(String id) {
            line.channelTxnId = id;
            return this;
        }

        BillLineFixture on(String day) {
            line.billDate = day;
            line.sourceFile = "WECHAT_" + day + ".csv";
            line.tradeTimeMs = DAYS.startOf(LocalDate.parse(day)) + 12 * 3_600_000L;
            return this;
        }

        BillLine revoked() {
            line.tradeStatus = "REVOKED";
            line.outcome = BillOutcome.NOT_SUCCESS;
            return line;
        }
    }

    private void bill(BillLineFixture f) throws Exception {
        bill(f.line);
    }

    private void bill(BillLine line) throws Exception {
        harness.processElement1(new StreamRecord<>(line, DAYS.endOf(LocalDate.parse(line.billDate))));
    }

    private void shop(ShopSide side) throws Exception {
        side.version = ++version;
        harness.processElement2(new StreamRecord<>(side));
    }

    /** Every channel bill up to the end of {@code day} was read. */
    private void billsReadUpTo(String day) throws Exception {
        harness.processWatermark1(new Watermark(DAYS.endOf(LocalDate.parse(day))));
    }

    private List<ReconcileFinding> findings() {
        return harness.extractOutputValues();
    }

    private List<Alert> alerts() {
        return sideOutput(harness, BillReconciliation.ALERTS);
    }

    private List<OrderCommand> commands() {
        return sideOutput(harness, BillReconciliation.ORDER_COMMANDS);
    }

    @SuppressWarnings("unchecked")
    private <T> T state(String paymentId) throws Exception {
        return (T) valueState(
                harness,
                Reconciliation.key(PaymentChannel.WECHAT, BillLineKind.PAYMENT, paymentId),
                BillReconciliation.KEY_STATE,
                ReconcileKeyState.class);
    }

    private void assertNothingLeft() {
        io.paystream.functions.testing.Harnesses.assertNothingLeft(harness);
        assertThat(harness.numEventTimeTimers()).as("bill-time timers").isZero();
    }

    /** The job crashed: a new harness restores {@code snapshot} at {@code now}, as a restart would. */
    private void restore(OperatorSubtaskState snapshot, long now) throws Exception {
        harness.close();
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(BillReconciliation.builder()
                        .firstDay(DAY1)
                        .restoreGrace(Duration.ofMillis(GRACE))
                        .build()),
                (BillLine l) -> Reconciliation.key(l.channel, l.kind, l.shopId()),
                ShopSides::key,
                Types.STRING);
        harness.setProcessingTime(now);
        harness.initializeState(snapshot);
        harness.open();
        harness.processWatermark2(new Watermark(Long.MAX_VALUE));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, BillLine, ShopSide, ReconcileFinding> harness(
            BillReconciliation fn) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn),
                (BillLine l) -> Reconciliation.key(l.channel, l.kind, l.shopId()),
                ShopSides::key,
                Types.STRING);
        h.open();
        return h;
    }
}
