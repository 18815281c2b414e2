package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.reconcile.RejectedBillLine;
import io.paystream.state.shop.PaymentChannel;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class WechatTradeBillParserTest {
    private final String bill = Bills.text(Bills.WECHAT);

    @Test
    void readsPaymentsRefundsAndSummaryOfThePublishedFormat() {
        ParsedBill parsed = Bills.wechat(bill);

        assertThat(parsed.rejected).isEmpty();
        assertThat(parsed.lines)
                .extracting(l -> l.kind + " " + l.paymentId + " " + l.refundId + " " + l.amountFen + " " + l.settledFen)
                .containsExactly(
                        "PAYMENT P-1001 null 10 10",
                        "PAYMENT P-1002 null 123456789 123456789",
                        "PAYMENT P-1003 null 2000 1500",
                        "REFUND P-1002 R-2001 10000 10000",
                        "REFUND P-1001 R-2002 10 10");
        BillLine refund = parsed.lines.get(3);
        assertThat(refund.channel).isEqualTo(PaymentChannel.WECHAT);
        assertThat(refund.billDate).isEqualTo(Bills.DAY);
        assertThat(refund.channelTxnId).isEqualTo("4200002166202611300000000002");
        assertThat(refund.channelRefundId).isEqualTo("50302709992026113000000000001");
        assertThat(refund.tradeStatus).isEqualTo("REFUND/PROCESSING");
        assertThat(refund.outcome).isEqualTo(BillOutcome.IN_PROGRESS);
        assertThat(refund.tradeTimeMs)
                .isEqualTo(OffsetDateTime.parse("2026-11-30T16:47:58+08:00")
                        .toInstant()
                        .toEpochMilli());
        assertThat(refund.sourceFile).isEqualTo(Bills.WECHAT);
        assertThat(refund.lineNumber).isEqualTo(5);
        assertThat(parsed.lines.get(0).outcome).isEqualTo(BillOutcome.SUCCESS);
        assertThat(parsed.lines.get(0).channelRefundId).isNull();

        assertThat(parsed.summary.lineCount).isEqualTo(5);
        assertThat(parsed.summary.paymentAmountFen).isEqualTo(123_458_799);
        assertThat(parsed.summary.paymentSettledFen).isEqualTo(123_458_299);
        assertThat(parsed.summary.refundAmountFen).isEqualTo(10_010);
        assertThat(parsed.summary.refundSettledFen).isEqualTo(10_010);
        assertThat(parsed.summary.paymentCount).as("not stated by WeChat Pay").isNull();
        assertThat(parsed.summary.lineNumber).isEqualTo(8);
    }

    @Test
    void stripsTheBacktickOfEveryField() {
        BillLine first = Bills.wechat(bill).lines.get(0);
        assertThat(first.paymentId).isEqualTo("P-1001");
        assertThat(first.channelTxnId).isEqualTo("4200002166202611300000000001");
        assertThat(first.tradeStatus).isEqualTo("SUCCESS");
    }

    @Test
    void toleratesAByteOrderMarkAndCrlf() {
        byte[] bytes = ("\uFEFF" + bill.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
        ParsedBill parsed = Bills.wechat(bytes);

        assertThat(parsed.rejected).isEmpty();
        assertThat(parsed.lines).isEqualTo(Bills.wechat(bill).lines);
        assertThat(parsed.summary.lineCount).isEqualTo(5);
    }

    @Test
    void findsColumnsByNameNotByPosition() {
        String[] lines = bill.split("\n");
        StringBuilder reordered = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i < 6) { // header and detail lines: the last column first
                List<String> fields = new ArrayList<>(List.of(lines[i].split(",", -1)));
                Collections.rotate(fields, 1);
                reordered.append(String.join(",", fields));
            } else {
                reordered.append(lines[i]);
            }
            reordered.append('\n');
        }
        assertThat(Bills.wechat(reordered.toString()).lines).isEqualTo(Bills.wechat(bill).lines);
    }

    @Test
    void malformedLinesAreRejectedWithTheirNumbersAndTheRestIsRead() {
        String broken = Bills.withLine(bill, 3, l -> l.replace("`1234567.89", "`12345x7.89"));
        broken = Bills.withLine(broken, 5, l -> l.substring(0, l.lastIndexOf(',')));

        ParsedBill parsed = Bills.wechat(broken);

        assertThat(parsed.rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly("3 not an amount in yuan: '12345x7.89'", "5 26 fields, the header has 27");
        RejectedBillLine rejected = parsed.rejected.get(1);
        assertThat(rejected.sourceFile).isEqualTo(Bills.WECHAT);
        assertThat(rejected.raw).isEqualTo(broken.split("\n")[4]);
        assertThat(parsed.lines).extracting(l -> l.lineNumber).containsExactly(2, 4, 6);
        assertThat(parsed.summary).isNotNull();
    }

    @Test
    void unknownStatusesAndMissingIdsAreRejected() {
        String broken = Bills.withLine(bill, 2, l -> l.replace("`SUCCESS", "`NOTPAY"));
        broken = Bills.withLine(broken, 6, l -> l.replace("`R-2002", "`"));
        broken = Bills.withLine(broken, 4, l -> l.replace("`2026-11-30 12:40:00", "`2026/11/30 12:40"));

        assertThat(Bills.wechat(broken).rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly(
                        "2 unknown 交易状态 'NOTPAY'",
                        "4 not a time yyyy-MM-dd HH:mm:ss: '2026/11/30 12:40'",
                        "6 no 商户退款单号");
    }

    @Test
    void aPaymentRevokedAfterSuccessStaysOnTheBillAsNotSuccess() {
        BillLine revoked = Bills.wechat(Bills.withLine(bill, 4, l -> l.replace("`SUCCESS", "`REVOKED")))
                .lines
                .get(2);
        assertThat(revoked.kind).isEqualTo(BillLineKind.PAYMENT);
        assertThat(revoked.outcome).isEqualTo(BillOutcome.NOT_SUCCESS);
        assertThat(revoked.tradeStatus).isEqualTo("REVOKED");
    }

    @Test
    void aHeaderWithoutTheNeededColumnsRejectsTheFileOnce() {
        ParsedBill parsed = Bills.wechat(Bills.withLine(bill, 1, l -> l.replace("商户订单号", "订单号")));

        assertThat(parsed.rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly("1 not a WeChat Pay trade bill header: no column [商户订单号]");
        assertThat(parsed.lines).isEmpty();
        assertThat(parsed.summary).isNull();
    }

    @Test
    void aTruncatedFileHasNoSummary() {
        String truncated = String.join("\n", List.of(bill.split("\n")).subList(0, 4));
        ParsedBill parsed = Bills.wechat(truncated);

        assertThat(parsed.lines).hasSize(3);
        assertThat(parsed.summary).isNull();
        assertThat(parsed.rejected).isEmpty();
    }

    @Test
    void linesAfterTheSummaryRowAreRejected() {
        ParsedBill parsed = Bills.wechat(bill + "`stray\n");
        assertThat(parsed.rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly("9 a line after the summary row");
    }
}
