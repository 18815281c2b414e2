package io.paystream.sandbox.bills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.functions.reconcile.AlipayTradeBillParser;
import io.paystream.functions.reconcile.ParsedBill;
import io.paystream.functions.reconcile.SummaryCheck;
import io.paystream.functions.reconcile.WechatTradeBillParser;
import io.paystream.sandbox.bills.InjectedDiscrepancy.Kind;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.reconcile.BillTally;
import io.paystream.state.reconcile.SummaryMismatch;
import io.paystream.state.shop.PaymentChannel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A day's bills as the sandbox writes them, read by the real parsers, with what was injected. */
class SandboxBillsTest {
    /** 23:59:00 in Beijing: day 0 is 2026-12-02. */
    private static final Instant START = Instant.parse("2026-12-02T15:59:00Z");

    @TempDir
    Path dir;

    /** The shop's rows: every payment SUCCESS but the closed ones. */
    private final Map<String, String> rows = new HashMap<>();

    private ChannelBook dayOfTraffic() {
        ChannelBook book = new ChannelBook(new BillCalendar(START, Duration.ofSeconds(60)));
        for (int i = 0; i < 30; i++) {
            for (String channel : List.of("WECHAT", "ALIPAY", "UNIONPAY")) {
                String id = "P" + channel.charAt(0) + i;
                book.paid(channel, id, "T" + id, 100 + i, START.plusSeconds(i));
                rows.put(id, "SUCCESS");
            }
        }
        book.refundDecided(
                "WECHAT",
                io.paystream.channels.RefundFacts.succeeded("RW1-1", "PW1", "TPW1", 50, 101, START.plusSeconds(40)),
                START.plusSeconds(40));
        book.refundDecided(
                "ALIPAY",
                io.paystream.channels.RefundFacts.succeeded("RA1-1", "PA1", "TPA1", 50, 101, START.plusSeconds(41)),
                START.plusSeconds(41));
        book.closedUnpaid("ALIPAY", "PA99", null, 777, START.plusSeconds(50));
        rows.put("PA99", "CLOSED");
        return book;
    }

    private SandboxBills bills(ChannelBook book, Path into, long seed) {
        return new SandboxBills(
                into, into.resolve("_manifest.json"), book.calendar(), Duration.ZERO, seed, book, rows::get);
    }

    @Test
    void eachChannelsBillHasEveryInjectedClassAndParsesClean() throws Exception {
        SandboxBills bills = bills(dayOfTraffic(), dir, 42);
        bills.writeDay(0);

        assertThat(bills.written())
                .extracting(w -> w.file() + " " + w.lines() + " " + w.wrongTotal())
                .containsExactly(
                        // 30 payments + 1 refund - 1 left off + 1 never issued
                        "WECHAT_2026-12-02.csv 31 true",
                        // 30 payments + 1 refund - 1 left off + 1 closed + 1 never issued
                        "ALIPAY_2026-12-02.zip 32 false");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")))
                    .containsExactlyInAnyOrder("WECHAT_2026-12-02.csv", "ALIPAY_2026-12-02.zip");
        }
        Map<PaymentChannel, ParsedBill> parsed = Map.of(
                PaymentChannel.WECHAT, parse(PaymentChannel.WECHAT, dir.resolve("WECHAT_2026-12-02.csv")),
                PaymentChannel.ALIPAY, parse(PaymentChannel.ALIPAY, dir.resolve("ALIPAY_2026-12-02.zip")));
        for (PaymentChannel channel : SandboxBills.CHANNELS) {
            ParsedBill bill = parsed.get(channel);
            assertThat(bill.rejected).as(channel + " rejected").isEmpty();
            Set<Kind> kinds = bills.injected().stream()
                    .filter(i -> i.channel() == channel)
                    .map(InjectedDiscrepancy::kind)
                    .collect(Collectors.toSet());
            assertThat(kinds)
                    .as(channel.toString())
                    .contains(Kind.CHANNEL_ONLY, Kind.LOCAL_ONLY, Kind.AMOUNT_MISMATCH, Kind.STATUS_MISMATCH);
        }
        for (InjectedDiscrepancy i : bills.injected()) {
            ParsedBill bill = parsed.get(i.channel());
            List<BillLine> lines = bill.lines.stream()
                    .filter(l -> l.paymentId.equals(i.paymentId()) && l.refundId == null)
                    .toList();
            switch (i.kind()) {
                case LOCAL_ONLY:
                    assertThat(lines).as(i.toString()).isEmpty();
                    assertThat(rows.get(i.paymentId())).isEqualTo("SUCCESS");
                    break;
                case CHANNEL_ONLY:
                    assertThat(lines)
                            .as(i.toString())
                            .singleElement()
                            .satisfies(l -> assertThat(l.outcome).isEqualTo(BillOutcome.SUCCESS));
                    assertThat(rows).as("never issued by the shop").doesNotContainKey(i.paymentId());
                    assertThat(i.expectedId())
                            .isEqualTo("recon:" + i.channel() + ":PAYMENT:" + i.paymentId() + ":CHANNEL_ONLY");
                    break;
                case AMOUNT_MISMATCH:
                    int n = Integer.parseInt(i.paymentId().substring(2));
                    assertThat(lines)
                            .as(i.toString())
                            .singleElement()
                            .satisfies(l -> assertThat(l.amountFen).isNotEqualTo(100 + n));
                    break;
                case STATUS_MISMATCH:
                    if (i.channel() == PaymentChannel.WECHAT) {
                        assertThat(lines)
                                .as(i.toString())
                                .singleElement()
                                .satisfies(l -> assertThat(l.tradeStatus).isEqualTo("REVOKED"));
                        assertThat(rows.get(i.paymentId())).isEqualTo("SUCCESS");
                    } else {
                        assertThat(i.paymentId()).isEqualTo("PA99");
                        assertThat(lines)
                                .as(i.toString())
                                .singleElement()
                                .satisfies(l -> assertThat(l.amountFen).isEqualTo(777));
                    }
                    break;
                case SUMMARY_MISMATCH:
                    assertThat(mismatches(i.channel(), bill))
                            .extracting(m -> m.id)
                            .containsExactly(i.expectedId());
                    break;
                default:
                    throw new AssertionError(i);
            }
        }
        assertThat(bills.injected())
                .filteredOn(i -> i.kind() == Kind.SUMMARY_MISMATCH)
                .hasSize(1);
        assertThat(mismatches(PaymentChannel.ALIPAY, parsed.get(PaymentChannel.ALIPAY)))
                .isEmpty();

        JsonNode manifest =
                new ObjectMapper().readTree(dir.resolve("_manifest.json").toFile());
        assertThat(manifest.path("reconcile.calendar.first-day-start").asText()).isEqualTo(START.toString());
        assertThat(manifest.path("reconcile.calendar.day-length").asText()).isEqualTo("60s");
        assertThat(manifest.path("injected")).hasSize(bills.injected().size());
        assertThat(manifest.path("bills")).hasSize(2);
        assertThat(bills.statusLine())
                .contains("bills: written 2")
                .contains("CHANNEL_ONLY 2, LOCAL_ONLY 2, AMOUNT_MISMATCH 2, STATUS_MISMATCH 2, SUMMARY_MISMATCH 1");
    }

    /**
     * The bills and the shop's rows through the reconciliation rule itself: what it finds, beyond
     * MATCHED, is exactly what the sandbox says it injected, by finding id.
     */
    @Test
    void theReconciliationRuleFindsExactlyTheInjectedDiscrepancies() throws Exception {
        SandboxBills bills = bills(dayOfTraffic(), dir, 3);
        bills.writeDay(0);
        io.paystream.functions.reconcile.Reconciliation rule =
                new io.paystream.functions.reconcile.Reconciliation(new io.paystream.functions.reconcile.LocalOnlyHold(
                        io.paystream.functions.reconcile.LocalOnlyHold.DEFAULT_PENDING_DAYS));
        Set<String> found = new java.util.TreeSet<>();
        for (PaymentChannel channel : SandboxBills.CHANNELS) {
            String file = channel == PaymentChannel.WECHAT ? "WECHAT_2026-12-02.csv" : "ALIPAY_2026-12-02.zip";
            Map<String, BillLine> bill = new HashMap<>();
            for (BillLine l : parse(channel, dir.resolve(file)).lines) {
                assertThat(bill.put(l.kind + ":" + l.shopId(), l))
                        .as("one line per key")
                        .isNull();
            }
            Map<String, io.paystream.state.reconcile.ShopSide> shop = new HashMap<>();
            rows.forEach((id, status) -> {
                if (id.charAt(1) == channel.name().charAt(0)) {
                    long amount = id.equals("PA99") ? 777 : 100 + Integer.parseInt(id.substring(2));
                    shop.put(
                            "PAYMENT:" + id,
                            io.paystream.state.reconcile.ShopSide.payment(
                                    channel, id, amount, io.paystream.state.reconcile.ShopStatus.valueOf(status), 1));
                }
            });
            String refund = channel == PaymentChannel.WECHAT ? "RW1-1" : "RA1-1";
            shop.put(
                    "REFUND:" + refund,
                    io.paystream.state.reconcile.ShopSide.refund(
                            channel,
                            "P" + channel.name().charAt(0) + "1",
                            refund,
                            50,
                            io.paystream.state.reconcile.ShopStatus.SUCCESS,
                            1));
            Set<String> keys = new java.util.HashSet<>(bill.keySet());
            keys.addAll(shop.keySet());
            for (String key : keys) {
                rule.classify(bill.get(key), shop.get(key))
                        .filter(f -> f.findingClass != io.paystream.state.reconcile.ReconcileClass.MATCHED)
                        .ifPresent(f -> found.add(f.id));
            }
        }
        assertThat(found)
                .containsExactlyInAnyOrderElementsOf(bills.injected().stream()
                        .filter(i -> i.kind() != Kind.SUMMARY_MISMATCH)
                        .map(InjectedDiscrepancy::expectedId)
                        .toList());
        assertThat(found).hasSize(8);
    }

    /**
     * Regression (a CI run of SandboxIT found no Alipay STATUS_MISMATCH in two days): the payments a
     * channel never charged are mostly failed ones, whose rows the shop has FAILED, not CLOSED. A
     * row not yet final is passed over, and a failed payment serves as well as a closed one.
     */
    @Test
    void alipaysStatusMismatchTakesAPaymentTheShopHasFailedAndPassesOverOneNotYetFinal() throws Exception {
        ChannelBook book = dayOfTraffic();
        rows.put("PA99", "PAYING"); // closed at the channel, the row not yet: not usable
        book.failedForGood("ALIPAY", "PA98", "TPA98", 555, START.plusSeconds(51));
        rows.put("PA98", "FAILED");
        SandboxBills bills = bills(book, dir, 42);
        bills.writeDay(0);

        assertThat(bills.injected())
                .filteredOn(i -> i.channel() == PaymentChannel.ALIPAY && i.kind() == Kind.STATUS_MISMATCH)
                .singleElement()
                .satisfies(i -> {
                    assertThat(i.paymentId()).isEqualTo("PA98");
                    assertThat(i.detail()).endsWith("the shop has FAILED");
                });
        assertThat(parse(PaymentChannel.ALIPAY, dir.resolve("ALIPAY_2026-12-02.zip")).lines)
                .filteredOn(l -> l.paymentId.equals("PA98"))
                .singleElement()
                .satisfies(l -> assertThat(l.outcome).isEqualTo(BillOutcome.SUCCESS));
    }

    @Test
    void theSameSeedAndDayInjectTheSameDiscrepancies() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Path c = Files.createDirectory(dir.resolve("c"));
        SandboxBills first = bills(dayOfTraffic(), a, 7);
        SandboxBills again = bills(dayOfTraffic(), b, 7);
        SandboxBills other = bills(dayOfTraffic(), c, 8);
        first.writeDay(0);
        again.writeDay(0);
        other.writeDay(0);

        assertThat(again.injected()).isEqualTo(first.injected());
        assertThat(Files.readAllBytes(b.resolve("WECHAT_2026-12-02.csv")))
                .isEqualTo(Files.readAllBytes(a.resolve("WECHAT_2026-12-02.csv")));
        assertThat(other.injected()).isNotEqualTo(first.injected());
    }

    @Test
    void aDayWithoutTrafficStillHasItsBillsAndAPaymentTheShopNeverIssued() throws Exception {
        ChannelBook book = new ChannelBook(new BillCalendar(START, Duration.ofSeconds(60)));
        SandboxBills bills = bills(book, dir, 1);
        bills.writeDay(1);

        assertThat(bills.written())
                .extracting(w -> w.file() + " " + w.lines() + " " + w.wrongTotal())
                .containsExactly("WECHAT_2026-12-03.csv 1 false", "ALIPAY_2026-12-03.zip 1 false");
        assertThat(bills.injected()).extracting(InjectedDiscrepancy::kind).containsOnly(Kind.CHANNEL_ONLY);
        assertThat(parse(PaymentChannel.ALIPAY, dir.resolve("ALIPAY_2026-12-03.zip")).rejected)
                .isEmpty();
    }

    private static List<SummaryMismatch> mismatches(PaymentChannel channel, ParsedBill bill) {
        BillTally tally = new BillTally();
        bill.lines.forEach(tally::add);
        return SummaryCheck.check(channel, bill.summary.billDate, "f", bill.summary, tally);
    }

    static ParsedBill parse(PaymentChannel channel, Path file) throws Exception {
        String name = file.getFileName().toString();
        String date = name.substring(name.indexOf('_') + 1, name.indexOf('.'));
        ParsedBill bill = new ParsedBill();
        try (InputStream in = Files.newInputStream(file)) {
            if (channel == PaymentChannel.WECHAT) {
                WechatTradeBillParser.parse(in, date, name, bill);
            } else {
                AlipayTradeBillParser.parse(in, date, name, bill);
            }
        }
        assertThat(LocalDate.parse(date)).isNotNull();
        return bill;
    }
}
