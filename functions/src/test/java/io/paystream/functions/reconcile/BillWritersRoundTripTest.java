package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.bills.AlipayTradeBillWriter;
import io.paystream.channels.bills.BillEntry;
import io.paystream.channels.bills.WechatTradeBillWriter;
import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.reconcile.BillTally;
import io.paystream.state.reconcile.SummaryMismatch;
import io.paystream.state.shop.PaymentChannel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated channels' bill writers (deploy/channels) against the real parsers: every line they
 * write is read back as written, nothing is rejected, and the stated totals agree with the lines
 * (or disagree by exactly what was asked). Here rather than in deploy/channels: this module already
 * depends on that one for its tests, so the reverse would be a reactor cycle.
 */
class BillWritersRoundTripTest {
    private static final LocalDate DAY = LocalDate.of(2026, 12, 2);
    private static final Instant NOON = Instant.parse("2026-12-02T04:00:00Z"); // 12:00 Beijing time

    @TempDir
    Path dir;

    private static List<BillEntry> wechatEntries() {
        return List.of(
                BillEntry.payment("P1001", "4200000001", 1, "SUCCESS", NOON),
                BillEntry.payment("P1002", "4200000002", 123_456_789, "SUCCESS", NOON.plusSeconds(61)),
                BillEntry.payment("P1003", "4200000003", 2000, "REVOKED", NOON.plusSeconds(3600)),
                BillEntry.refund(
                        "R1002-1", "P1002", "4200000002", "RFR1002-1", 10_000, "SUCCESS", NOON.plusSeconds(90)),
                BillEntry.refund("R1002-2", "P1002", "4200000002", "RFR1002-2", 5, "PROCESSING", NOON.plusSeconds(91)),
                BillEntry.refund("R1001-1", "P1001", "4200000001", "RFR1001-1", 1, "ABNORMAL", NOON.plusSeconds(92)),
                BillEntry.refund("R1004-1", "P1004", "4200000004", "RFR1004-1", 99, "CLOSED", NOON.plusSeconds(93)));
    }

    private static List<BillEntry> alipayEntries() {
        return List.of(
                BillEntry.payment("P2001", "2026120222001400000001", 10, "SUCCESS", NOON),
                BillEntry.payment("P2002", "2026120222001400000002", 123_456_789, "SUCCESS", NOON.plusSeconds(5)),
                BillEntry.payment("P2003", "2026120222001400000003", 1999, "SUCCESS", NOON.plusSeconds(50_000)),
                BillEntry.refund(
                        "R2002-1", "P2002", "2026120222001400000002", null, 10_000, "SUCCESS", NOON.plusSeconds(7)),
                BillEntry.refund(
                        "R2001-1", "P2001", "2026120222001400000001", null, 10, "SUCCESS", NOON.plusSeconds(9)));
    }

    @Test
    void wechatPayBillReadsBackLineByLineWithItsSummary() throws IOException {
        List<BillEntry> entries = wechatEntries();
        Path file = dir.resolve(BillFiles.name(PaymentChannel.WECHAT, DAY));
        WechatTradeBillWriter.write(file, DAY, entries, false);

        assertThat(file.getFileName().toString()).isEqualTo("WECHAT_2026-12-02.csv");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\r\n");
        assertThat(lines[0]).isEqualTo(WechatTradeBillWriter.DETAIL_HEADER);
        assertThat(lines[entries.size() + 1]).isEqualTo(WechatTradeBillWriter.SUMMARY_HEADER);
        assertThat(lines).hasSize(entries.size() + 3);
        for (int i = 1; i <= entries.size(); i++) {
            assertThat(lines[i].split(",", -1))
                    .as("every field backticked: " + lines[i])
                    .hasSize(27)
                    .allMatch(f -> f.startsWith("`"));
        }

        ParsedBill parsed = parseWechat(Files.readAllBytes(file));
        assertThat(parsed.rejected).isEmpty();
        assertLinesAre(parsed.lines, entries, PaymentChannel.WECHAT, "WECHAT_2026-12-02.csv");
        assertThat(parsed.lines)
                .extracting(l -> l.tradeStatus + " " + l.outcome)
                .containsExactly(
                        "SUCCESS SUCCESS",
                        "SUCCESS SUCCESS",
                        "REVOKED NOT_SUCCESS",
                        "REFUND/SUCCESS SUCCESS",
                        "REFUND/PROCESSING IN_PROGRESS",
                        "REFUND/ABNORMAL NOT_SUCCESS",
                        "REFUND/CLOSED NOT_SUCCESS");
        assertThat(parsed.lines.get(3).channelRefundId).isEqualTo("RFR1002-1");
        assertThat(parsed.summary.lineCount).isEqualTo(7);
        assertThat(parsed.summary.paymentAmountFen).isEqualTo(1 + 123_456_789 + 2000);
        assertThat(parsed.summary.paymentSettledFen).isEqualTo(1 + 123_456_789 + 2000);
        assertThat(parsed.summary.refundAmountFen).isEqualTo(10_000 + 5 + 1 + 99);
        assertThat(parsed.summary.refundSettledFen).isEqualTo(10_000 + 5 + 1 + 99);
        assertThat(mismatches(PaymentChannel.WECHAT, parsed)).isEmpty();
        assertThat(hiddenOrTemporary()).isEmpty();
    }

    @Test
    void alipayBillReadsBackLineByLineWithItsTotals() throws IOException {
        List<BillEntry> entries = alipayEntries();
        Path file = dir.resolve(BillFiles.name(PaymentChannel.ALIPAY, DAY));
        AlipayTradeBillWriter.write(file, DAY, entries, false);

        assertThat(file.getFileName().toString()).isEqualTo("ALIPAY_2026-12-02.zip");
        List<String> names = new ArrayList<>();
        String detail = null;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file), AlipayTradeBillWriter.GBK)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                names.add(e.getName());
                if (!e.getName().contains("汇总")) {
                    detail = new String(zip.readAllBytes(), AlipayTradeBillWriter.GBK);
                }
            }
        }
        assertThat(names)
                .containsExactly(
                        "20881234567890120156_20261202_业务明细.csv", "20881234567890120156_20261202_业务明细(汇总).csv");
        String[] lines = detail.split("\r\n");
        assertThat(lines[4]).isEqualTo(AlipayTradeBillWriter.DETAIL_HEADER);
        assertThat(lines[entries.size() + 5]).startsWith("#").contains("业务明细列表结束");
        assertThat(lines[entries.size() + 6]).isEqualTo("#交易合计：3笔，商家实收共1234587.98元，商家优惠共0.00元");
        assertThat(lines[entries.size() + 7]).isEqualTo("#退款合计：2笔，商家实收退款共-100.10元，商家优惠退款共0.00元");
        assertThat(lines[entries.size() + 8]).isEqualTo("#导出时间：[2026年12月03日 09:00:00]");
        assertThat(lines).hasSize(entries.size() + 9);
        assertThat(lines[5 + 3])
                .as("a refund: negative amounts, named by its request no")
                .contains(",-100.00,-100.00,", ",R2002-1\t,");

        ParsedBill parsed = parseAlipay(Files.readAllBytes(file));
        assertThat(parsed.rejected).isEmpty();
        assertLinesAre(
                parsed.lines,
                entries,
                PaymentChannel.ALIPAY,
                "ALIPAY_2026-12-02.zip!20881234567890120156_20261202_业务明细.csv");
        assertThat(parsed.lines)
                .extracting(l -> l.tradeStatus + " " + l.outcome)
                .containsExactly("交易 SUCCESS", "交易 SUCCESS", "交易 SUCCESS", "退款 SUCCESS", "退款 SUCCESS");
        assertThat(parsed.summary.paymentCount).isEqualTo(3);
        assertThat(parsed.summary.refundCount).isEqualTo(2);
        assertThat(parsed.summary.paymentSettledFen).isEqualTo(10 + 123_456_789 + 1999);
        assertThat(parsed.summary.refundSettledFen).isEqualTo(10_010);
        assertThat(mismatches(PaymentChannel.ALIPAY, parsed)).isEmpty();
        assertThat(hiddenOrTemporary()).isEmpty();
    }

    @Test
    void aWrongTotalIsExactlyOneMismatchOnTheSettledPaymentTotal() {
        ParsedBill wechat = parseWechat(WechatTradeBillWriter.render(DAY, wechatEntries(), true));
        ParsedBill alipay = parseAlipay(AlipayTradeBillWriter.render(DAY, alipayEntries(), true));

        assertThat(wechat.rejected).isEmpty();
        assertThat(alipay.rejected).isEmpty();
        assertThat(mismatches(PaymentChannel.WECHAT, wechat))
                .extracting(m -> m.id + " " + (m.stated - m.computed))
                .containsExactly(SummaryCheck.mismatchId(PaymentChannel.WECHAT, DAY.toString(), "paymentSettledFen")
                        + " " + WechatTradeBillWriter.WRONG_TOTAL_FEN);
        assertThat(mismatches(PaymentChannel.ALIPAY, alipay))
                .extracting(m -> m.id + " " + (m.stated - m.computed))
                .containsExactly(SummaryCheck.mismatchId(PaymentChannel.ALIPAY, DAY.toString(), "paymentSettledFen")
                        + " " + AlipayTradeBillWriter.WRONG_TOTAL_FEN);
    }

    /** Many random amounts (every fen pattern: 0.01, 0.10, 1.00, large) and times survive the round trip. */
    @Test
    void randomBillsReadBackExactly() {
        Random r = new Random(17);
        for (int round = 0; round < 20; round++) {
            List<BillEntry> wechat = new ArrayList<>();
            List<BillEntry> alipay = new ArrayList<>();
            int n = 1 + r.nextInt(60);
            for (int i = 0; i < n; i++) {
                long fen = 1 + (r.nextBoolean() ? r.nextInt(1000) : Math.abs(r.nextLong() % 10_000_000_000L));
                Instant at = NOON.plusMillis(r.nextInt(86_400_000) - 43_200_000L);
                String id = "P" + round + "x" + i;
                if (r.nextInt(4) == 0) {
                    wechat.add(BillEntry.refund(
                            "R" + id,
                            id,
                            "42" + i,
                            null,
                            fen,
                            pick(r, "SUCCESS", "PROCESSING", "CLOSED", "ABNORMAL"),
                            at));
                    alipay.add(BillEntry.refund("R" + id, id, "2026" + i, null, fen, "SUCCESS", at));
                } else {
                    wechat.add(BillEntry.payment(id, "42" + i, fen, pick(r, "SUCCESS", "REVOKED"), at));
                    alipay.add(BillEntry.payment(id, "2026" + i, fen, "SUCCESS", at));
                }
            }
            boolean wrong = r.nextBoolean();
            ParsedBill w = parseWechat(WechatTradeBillWriter.render(DAY, wechat, wrong));
            ParsedBill a = parseAlipay(AlipayTradeBillWriter.render(DAY, alipay, wrong));
            assertThat(w.rejected).isEmpty();
            assertThat(a.rejected).isEmpty();
            assertLinesAre(
                    w.lines, wechat, PaymentChannel.WECHAT, w.lines.isEmpty() ? null : w.lines.get(0).sourceFile);
            assertLinesAre(
                    a.lines, alipay, PaymentChannel.ALIPAY, a.lines.isEmpty() ? null : a.lines.get(0).sourceFile);
            assertThat(mismatches(PaymentChannel.WECHAT, w)).hasSize(wrong ? 1 : 0);
            assertThat(mismatches(PaymentChannel.ALIPAY, a)).hasSize(wrong ? 1 : 0);
        }
    }

    @Test
    void anEmptyDayIsABillWithNoLinesAndZeroTotals() {
        ParsedBill w = parseWechat(WechatTradeBillWriter.render(DAY, List.of(), false));
        ParsedBill a = parseAlipay(AlipayTradeBillWriter.render(DAY, List.of(), false));
        assertThat(w.rejected).isEmpty();
        assertThat(a.rejected).isEmpty();
        assertThat(w.lines).isEmpty();
        assertThat(a.lines).isEmpty();
        assertThat(w.summary.lineCount).isZero();
        assertThat(a.summary.paymentCount).isZero();
        assertThat(a.summary.refundSettledFen).isZero();
        assertThat(mismatches(PaymentChannel.WECHAT, w)).isEmpty();
        assertThat(mismatches(PaymentChannel.ALIPAY, a)).isEmpty();
    }

    private static String pick(Random r, String... words) {
        return words[r.nextInt(words.length)];
    }

    private static void assertLinesAre(
            List<BillLine> lines, List<BillEntry> entries, PaymentChannel channel, String sourceFile) {
        assertThat(lines).hasSameSizeAs(entries);
        for (int i = 0; i < entries.size(); i++) {
            BillEntry e = entries.get(i);
            BillLine l = lines.get(i);
            String what = e + " read as " + l;
            assertThat(l.channel).as(what).isEqualTo(channel);
            assertThat(l.billDate).as(what).isEqualTo(DAY.toString());
            assertThat(l.kind).as(what).isEqualTo(e.kind());
            assertThat(l.paymentId).as(what).isEqualTo(e.paymentId());
            assertThat(l.refundId).as(what).isEqualTo(e.refundId());
            assertThat(l.channelTxnId).as(what).isEqualTo(e.channelTxnId());
            assertThat(l.amountFen).as(what).isEqualTo(e.amountFen());
            assertThat(l.settledFen).as(what).isEqualTo(e.amountFen());
            assertThat(l.tradeTimeMs).as(what).isEqualTo(e.tradeTime().toEpochMilli() / 1000 * 1000);
            assertThat(l.sourceFile).as(what).isEqualTo(sourceFile);
            if (e.kind() == BillLineKind.REFUND && channel == PaymentChannel.WECHAT) {
                assertThat(l.channelRefundId).as(what).isNotEmpty();
            }
            if (channel == PaymentChannel.ALIPAY || "SUCCESS".equals(e.status())) {
                assertThat(l.outcome).as(what).isEqualTo(BillOutcome.SUCCESS);
            }
        }
    }

    private List<Path> hiddenOrTemporary() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static List<SummaryMismatch> mismatches(PaymentChannel channel, ParsedBill bill) {
        BillTally tally = new BillTally();
        bill.lines.forEach(tally::add);
        bill.rejected.forEach(r -> tally.reject());
        return SummaryCheck.check(channel, DAY.toString(), "file", bill.summary, tally);
    }

    private static ParsedBill parseWechat(byte[] bytes) {
        return parse(bytes, PaymentChannel.WECHAT);
    }

    private static ParsedBill parseAlipay(byte[] bytes) {
        return parse(bytes, PaymentChannel.ALIPAY);
    }

    private static ParsedBill parse(byte[] bytes, PaymentChannel channel) {
        ParsedBill bill = new ParsedBill();
        String name = BillFiles.name(channel, DAY);
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            if (channel == PaymentChannel.WECHAT) {
                WechatTradeBillParser.parse(in, DAY.toString(), name, bill);
            } else {
                AlipayTradeBillParser.parse(in, DAY.toString(), name, bill);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bill;
    }
}
