package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.shop.PaymentChannel;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlipayTradeBillParserTest {
    private static final String DETAIL = "20881234567890120156_20261130_业务明细.csv";
    private static final String SUMMARY_FILE = "20881234567890120156_20261130_业务明细(汇总).csv";
    private static final String ARCHIVE = "20881234567890120156_20261130.csv.zip";

    private final String detail = Bills.text(Bills.ALIPAY_DETAIL);

    private static byte[] zipOf(String detailText) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(SUMMARY_FILE, "#支付宝业务汇总查询\n门店编号,门店名称,交易订单总笔数,退款订单总笔数\n,合计,3,2\n");
        entries.put(DETAIL, detailText);
        return Bills.zip(entries);
    }

    @Test
    void readsTradesAndRefundsFromTheGbkZip() {
        ParsedBill parsed = Bills.alipay(zipOf(detail));

        assertThat(parsed.rejected).isEmpty();
        assertThat(parsed.lines)
                .extracting(l -> l.kind + " " + l.paymentId + " " + l.refundId + " " + l.amountFen + " " + l.settledFen)
                .containsExactly(
                        "PAYMENT P-3001 null 10 10",
                        "PAYMENT P-3002 null 123456789 123456789",
                        "PAYMENT P-3003 null 2000 1500",
                        "REFUND P-3002 R-4001 10000 10000",
                        "REFUND P-3001 P-3001 10 10");
        BillLine refund = parsed.lines.get(3);
        assertThat(refund.channel).isEqualTo(PaymentChannel.ALIPAY);
        assertThat(refund.channelTxnId).as("the tab after the value is gone").isEqualTo("2026113022001400000000000002");
        assertThat(refund.channelRefundId).isNull();
        assertThat(refund.tradeStatus).isEqualTo("退款");
        assertThat(refund.outcome).isEqualTo(BillOutcome.SUCCESS);
        assertThat(refund.tradeTimeMs)
                .isEqualTo(OffsetDateTime.parse("2026-11-30T16:47:58+08:00")
                        .toInstant()
                        .toEpochMilli());
        assertThat(refund.sourceFile).isEqualTo(ARCHIVE + "!" + DETAIL);
        assertThat(refund.lineNumber).isEqualTo(9);
    }

    @Test
    void readsTheTotalsFromTheTrailingCommentLines() {
        ParsedBill parsed = Bills.alipay(zipOf(detail));

        assertThat(parsed.summary.paymentCount).isEqualTo(3);
        assertThat(parsed.summary.paymentSettledFen).isEqualTo(123_458_299);
        assertThat(parsed.summary.refundCount).isEqualTo(2);
        assertThat(parsed.summary.refundSettledFen)
                .as("stated -100.10, kept as a magnitude")
                .isEqualTo(10_010);
        assertThat(parsed.summary.lineCount).as("not stated by Alipay").isNull();
        assertThat(parsed.summary.lineNumber).isEqualTo(12);
        assertThat(parsed.summary.sourceFile).isEqualTo(ARCHIVE + "!" + DETAIL);
    }

    @Test
    void refundsMustBeNegativeAndTradesPositive() {
        String broken = Bills.withLine(detail, 6, l -> l.replace(",0.10,0.10,", ",-0.10,-0.10,"));
        broken = Bills.withLine(broken, 9, l -> l.replace(",-100.00,-100.00,", ",100.00,100.00,"));

        assertThat(Bills.alipay(zipOf(broken)).rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly("6 a 交易 line with a negative amount", "9 a 退款 line with a positive amount");
    }

    @Test
    void malformedLinesAreRejectedWithTheirNumbersAndTheRestIsRead() {
        String broken = Bills.withLine(detail, 7, l -> l.replace("1234567.89,1234567.89", "1234567.8,1234567.891"));
        broken = Bills.withLine(broken, 8, l -> l.substring(0, l.lastIndexOf(',')));
        broken = Bills.withLine(broken, 10, l -> l.replace("退款\t", "冻结\t"));

        ParsedBill parsed = Bills.alipay(zipOf(broken));

        assertThat(parsed.rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly(
                        "7 not an amount in yuan: '1234567.891'",
                        "8 24 fields, the header has 25",
                        "10 业务类型 '冻结' is neither 交易 nor 退款");
        assertThat(parsed.rejected.get(0).sourceFile).isEqualTo(ARCHIVE + "!" + DETAIL);
        assertThat(parsed.lines).extracting(l -> l.lineNumber).containsExactly(6, 9);
        assertThat(parsed.summary.paymentCount).isEqualTo(3);
    }

    @Test
    void aMalformedTotalsLineIsRejectedAndItsFiguresStayUnstated() {
        ParsedBill parsed = Bills.alipay(zipOf(Bills.withLine(detail, 12, l -> l.replace("3笔", "三笔"))));

        assertThat(parsed.rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly("12 not a count: '三'");
        assertThat(parsed.summary.paymentCount).isNull();
        assertThat(parsed.summary.refundCount).isEqualTo(2);
    }

    @Test
    void aStreamThatIsNotAZipIsOneRejectedLine() {
        ParsedBill parsed = Bills.alipay(detail.getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.rejected)
                .extracting(r -> r.sourceFile + ":" + r.lineNumber + " " + r.reason)
                .containsExactly(ARCHIVE + ":0 no 业务明细 file in the zip (or not a zip at all)");
        assertThat(parsed.lines).isEmpty();
    }

    @Test
    void aCorruptZipIsOneRejectedLine() {
        byte[] zip = zipOf(detail);
        byte[] cut = java.util.Arrays.copyOf(zip, zip.length / 2);
        cut[8] = 99; // the first entry's compression method: unknown

        ParsedBill parsed = Bills.alipay(cut);

        assertThat(parsed.rejected).hasSize(1);
        assertThat(parsed.rejected.get(0).lineNumber).isZero();
        assertThat(parsed.rejected.get(0).reason).startsWith("not a readable zip: ");
    }

    @Test
    void aZipWithoutTheDetailFileIsOneRejectedLine() {
        ParsedBill parsed = Bills.alipay(Bills.zip(Map.of(SUMMARY_FILE, "#汇总\n")));

        assertThat(parsed.rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly("0 no 业务明细 file in the zip (or not a zip at all)");
        assertThat(parsed.summary).isNull();
    }

    @Test
    void aHeaderWithoutTheNeededColumnsRejectsTheFileOnce() {
        ParsedBill parsed = Bills.alipay(zipOf(Bills.withLine(detail, 5, l -> l.replace("商户订单号", "订单号"))));

        assertThat(parsed.rejected)
                .extracting(r -> r.lineNumber + " " + r.reason)
                .containsExactly("5 not an Alipay trade bill header: no column [商户订单号]");
        assertThat(parsed.lines).isEmpty();
    }

    @Test
    void halfWidthParenthesesInTheHeaderAreTheSameColumns() {
        String ascii = Bills.withLine(detail, 5, l -> l.replace('（', '(').replace('）', ')'));
        assertThat(Bills.alipay(zipOf(ascii)).lines).isEqualTo(Bills.alipay(zipOf(detail)).lines);
    }
}
