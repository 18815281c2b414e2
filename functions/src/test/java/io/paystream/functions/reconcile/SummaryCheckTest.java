package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillTally;
import io.paystream.state.reconcile.SummaryMismatch;
import io.paystream.state.shop.PaymentChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryCheckTest {
    private final String wechat = Bills.text(Bills.WECHAT);

    private static BillTally tally(ParsedBill bill) {
        BillTally t = new BillTally();
        for (BillLine line : bill.lines) {
            t.add(line);
        }
        bill.rejected.forEach(r -> t.reject());
        return t;
    }

    private static List<SummaryMismatch> check(PaymentChannel channel, ParsedBill bill) {
        return SummaryCheck.check(channel, Bills.DAY, "bill", bill.summary, tally(bill));
    }

    @Test
    void thePublishedWechatBillAddsUp() {
        assertThat(check(PaymentChannel.WECHAT, Bills.wechat(wechat))).isEmpty();
    }

    @Test
    void thePublishedAlipayBillAddsUp() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("20881234567890120156_20261130_业务明细.csv", Bills.text(Bills.ALIPAY_DETAIL));
        ParsedBill bill = Bills.alipay(Bills.zip(entries));

        assertThat(bill.rejected).isEmpty();
        assertThat(check(PaymentChannel.ALIPAY, bill)).isEmpty();
    }

    @Test
    void aRejectedLineShowsAsTotalsTheLinesDoNotReach() {
        ParsedBill bill = Bills.wechat(Bills.withLine(wechat, 4, l -> l.replace("`20.00", "`2O.00")));

        assertThat(check(PaymentChannel.WECHAT, bill))
                .extracting(m ->
                        m.figure + " stated " + m.stated + " computed " + m.computed + " rejected " + m.rejectedLines)
                .containsExactly(
                        "lineCount stated 5 computed 4 rejected 1",
                        "paymentAmountFen stated 123458799 computed 123456799 rejected 1",
                        "paymentSettledFen stated 123458299 computed 123456799 rejected 1");
    }

    @Test
    void anAlteredTotalIsAMismatchWithAStableId() {
        ParsedBill bill = Bills.wechat(Bills.withLine(wechat, 8, l -> l.replace("`100.10,`0.00", "`100.11,`0.00")));

        List<SummaryMismatch> first = check(PaymentChannel.WECHAT, bill);
        assertThat(first).extracting(m -> m.id).containsExactly("recon-summary:WECHAT:2026-11-30:refundSettledFen");
        assertThat(first.get(0).stated).isEqualTo(10_011);
        assertThat(first.get(0).computed).isEqualTo(10_010);
        assertThat(check(PaymentChannel.WECHAT, bill))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(first);
    }

    @Test
    void aFileThatStatesNoTotalsIsAFinding() {
        String truncated = String.join("\n", List.of(wechat.split("\n")).subList(0, 4));

        assertThat(check(PaymentChannel.WECHAT, Bills.wechat(truncated)))
                .extracting(m -> m.figure + " " + m.stated + " " + m.computed)
                .containsExactly("summary null 3");
    }
}
