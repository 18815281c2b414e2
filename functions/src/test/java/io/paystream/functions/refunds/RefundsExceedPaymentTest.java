package io.paystream.functions.refunds;

import static io.paystream.functions.testing.Fixtures.payment;
import static io.paystream.functions.testing.RefundFixtures.refundOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.PaymentFixture;
import io.paystream.functions.testing.RefundOutcomeFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.refunds.PaymentRefunds;
import io.paystream.state.refunds.RefundOutcome;
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

class RefundsExceedPaymentTest {
    private static final long T0 = 1_000_000L;
    private static final long WINDOW = Duration.ofDays(1).toMillis();

    private KeyedTwoInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, RefundOutcome, Alert> harness;

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
    void refundsAboveWhatThePaymentPaidAreAlertedOnce() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").ofOrder(7).amountCents(3_550).succeeded().at(T0).version(10));
        refund(refundOutcome("R1").ofPayment("P1").amountCents(3_000));
        refund(refundOutcome("R0").ofPayment("P1").amountCents(500).failed());
        assertThat(alerts())
                .as("30.00 of 35.50; a failed refund moved no money")
                .isEmpty();

        harness.setProcessingTime(T0 + 60_000);
        refund(refundOutcome("R2").ofPayment("P1").amountCents(1_000));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.REFUND_EXCEEDS_PAYMENT);
            assertThat(a.alertId).isEqualTo("REFUND_EXCEEDS_PAYMENT:P1");
            assertThat(a.paymentId).isEqualTo("P1");
            assertThat(a.kafkaKey()).isEqualTo("P1");
            assertThat(a.orderId).isEqualTo(7L);
            assertThat(a.channel).isEqualTo("ALIPAY");
            assertThat(a.amount).as("the excess").isEqualTo("4.50");
            assertThat(a.reason)
                    .isEqualTo("payment P1 paid 35.50, its 2 successful refunds add up to 40.00 (R1 30.00, R2 10.00):"
                            + " 4.50 refunded beyond what it paid");
            assertThat(a.raisedAt).isEqualTo(T0 + 60_000);
        });

        // A replayed outcome, one more refund, replayed and later rows: still the one alert.
        refund(refundOutcome("R2").ofPayment("P1").amountCents(1_000));
        refund(refundOutcome("R3").ofPayment("P1").amountCents(100));
        row(payment("P1").ofOrder(7).amountCents(3_550).succeeded().at(T0).version(10));
        row(payment("P1").ofOrder(7).amountCents(3_550).closed().at(T0 + 70_000).version(11));
        assertThat(alerts()).hasSize(1);
        assertThat(paymentRefunds("P1").refundedCents).as("R2 counted once").isEqualTo(4_100);

        // Kept until the refund window after it was paid is over, then nothing is left.
        harness.setProcessingTime(T0 + WINDOW - 1);
        assertThat(paymentRefunds("P1")).isNotNull();
        harness.setProcessingTime(T0 + WINDOW);
        assertNothingLeft();
    }

    @Test
    void refundsBeforeTheirPaymentRowAreCheckedWhenItArrives() throws Exception {
        harness.setProcessingTime(T0);
        refund(refundOutcome("R1").ofPayment("P1").amountCents(2_000));
        refund(refundOutcome("R2").ofPayment("P1").amountCents(2_000));
        row(payment("P1").ofOrder(7).amountCents(3_550).paying().at(T0 - 5_000).version(10));
        assertThat(alerts()).as("not known to have paid yet").isEmpty();

        row(payment("P1")
                .ofOrder(7)
                .amountCents(3_550)
                .succeeded()
                .at(T0 - 4_000)
                .version(11));
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.amount).isEqualTo("4.50"));

        // The window runs from the payment's own time, not from the first refund's.
        harness.setProcessingTime(T0 - 4_000 + WINDOW);
        assertNothingLeft();
    }

    @Test
    void aRestoreReadingRefundResultsAgainAlertsNothingNew() throws Exception {
        harness.setProcessingTime(T0);
        row(payment("P1").amountCents(3_550).succeeded().at(T0).version(10));
        refund(refundOutcome("R1").ofPayment("P1").amountCents(3_550));
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
        harness.close();

        harness = newHarness();
        harness.setProcessingTime(T0 + 1_000);
        harness.initializeState(snapshot);
        harness.open();
        refund(refundOutcome("R1").ofPayment("P1").amountCents(3_550));
        row(payment("P1").amountCents(3_550).succeeded().at(T0).version(10));
        assertThat(alerts())
                .as("a full refund, counted once, is within what was paid")
                .isEmpty();
        harness.setProcessingTime(T0 + WINDOW);
        assertNothingLeft();
    }

    @Test
    void paymentsThatDidNotPayOrLeftTheRefundWindowKeepNothing() throws Exception {
        harness.setProcessingTime(T0 + 2 * WINDOW);
        row(payment("P1").paying().at(T0 + 2 * WINDOW).version(10));
        row(payment("P2").failed().at(T0 + 2 * WINDOW).version(11));
        row(payment("P3").succeeded().at(T0).version(12)); // the snapshot's old payments
        assertThat(Harnesses.keyedStateEntries(harness)).isZero();

        // A deleted payment row is done at once.
        row(payment("P4").succeeded().at(T0 + 2 * WINDOW).version(13));
        assertThat(paymentRefunds("P4")).isNotNull();
        row(payment("P4").succeeded().at(T0 + 2 * WINDOW).deleted(14));
        assertThat(alerts()).isEmpty();
        assertNothingLeft();
    }

    private PaymentRefunds paymentRefunds(String paymentId) throws Exception {
        return Harnesses.valueState(harness, paymentId, RefundsExceedPayment.PAYMENT_STATE, PaymentRefunds.class);
    }

    private void assertNothingLeft() {
        Harnesses.assertNothingLeft(harness);
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RowChange<PaymentRow>, RefundOutcome, Alert> newHarness()
            throws Exception {
        RefundsExceedPayment fn = RefundsExceedPayment.builder()
                .refundWindow(Duration.ofMillis(WINDOW))
                .safetyTtl(Duration.ofDays(3))
                .build();
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn), c -> c.row().paymentId, o -> o.paymentId, Types.STRING);
    }

    private void row(PaymentFixture payment) throws Exception {
        harness.processElement1(new StreamRecord<>(payment.change()));
    }

    private void row(RowChange<PaymentRow> change) throws Exception {
        harness.processElement1(new StreamRecord<>(change));
    }

    private void refund(RefundOutcomeFixture outcome) throws Exception {
        harness.processElement2(new StreamRecord<>(outcome.build()));
    }
}
