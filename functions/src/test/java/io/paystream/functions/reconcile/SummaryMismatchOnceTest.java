package io.paystream.functions.reconcile;

import static io.paystream.functions.testing.Harnesses.sideOutput;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.Harnesses;
import io.paystream.state.contract.Alert;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.reconcile.BillTally;
import io.paystream.state.reconcile.SummaryMismatch;
import io.paystream.state.shop.PaymentChannel;
import java.time.LocalDate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SummaryMismatchOnceTest {
    private static final BillCalendar DAYS = BillCalendar.BEIJING_DAYS;

    @Test
    void aBillsWrongTotalIsPublishedOnceHoweverOftenTheBillIsRead() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        BillReconciliation.builder().firstDay("2026-12-01").buildSummaryCheck()),
                (SummaryMismatch m) -> m.id,
                Types.STRING);
        harness.open();
        harness.processElement(new StreamRecord<>(mismatch()));
        harness.processElement(new StreamRecord<>(mismatch())); // the file read again
        assertThat(harness.extractOutputValues()).singleElement().satisfies(m -> {
            assertThat(m.findingClass).isEqualTo("SUMMARY_MISMATCH");
            assertThat(m.id).isEqualTo("recon-summary:WECHAT:2026-12-01:paymentSettledFen");
        });
        assertThat(sideOutput(harness, SummaryMismatchOnce.ALERTS))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.type).isEqualTo(Alert.RECONCILE_SUMMARY_MISMATCH);
                    assertThat(a.alertId).isEqualTo("recon-summary:WECHAT:2026-12-01:paymentSettledFen");
                    assertThat(a.reason)
                            .isEqualTo(
                                    "WECHAT's bill of 2026-12-01 (WECHAT_2026-12-01.csv) states paymentSettledFen 10100, its"
                                            + " lines add up to 10000 (1 lines rejected)");
                });

        // Remembered until keep-days after the day's pending days, then forgotten.
        harness.processWatermark(new Watermark(DAYS.endOf(LocalDate.parse("2026-12-11"))));
        assertThat(Harnesses.keyedStateEntries(harness)).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        harness.close();
    }

    private static SummaryMismatch mismatch() {
        BillTally tally = new BillTally();
        tally.paymentSettledFen = 10_000;
        tally.reject();
        BillSummary stated = new BillSummary();
        stated.paymentSettledFen = 10_100L;
        return SummaryCheck.check(PaymentChannel.WECHAT, "2026-12-01", "WECHAT_2026-12-01.csv", stated, tally)
                .get(0);
    }
}
