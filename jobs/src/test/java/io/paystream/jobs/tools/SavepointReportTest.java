package io.paystream.jobs.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The savepoint report on the checked-in savepoint fixtures (taken over the statements of
 * {@code FixtureShop}; the times are the fixture's, from its manifest): the facts an operator
 * reads are the ones the shop's rows and the jobs' settings imply (re-queries every hour, re-notify
 * and unpaid expiry after an hour).
 */
class SavepointReportTest {
    private static final Path FIXTURES = Path.of("src", "test", "resources", "savepoints");
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static long rowsAt;
    private static long changesAt;

    @BeforeAll
    static void manifest() throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(FIXTURES.resolve("fixture.properties"))) {
            p.load(in);
        }
        rowsAt = Long.parseLong(p.getProperty("rows-at"));
        changesAt = Long.parseLong(p.getProperty("changes-at"));
    }

    @Test
    void paymentsShowsOpenPaymentsWithTheirNextDeadlineRememberedPaymentsAndUnpaidOrders() throws Exception {
        String report = report("payments");
        assertThat(report).contains("Job: payments (max parallelism 128)");
        assertThat(report).contains("Open payments (PAYING, re-queries pending): 1\n");
        // FIX-P1 is PAYING since its row's time: re-query 1 is due an hour later (its timer). The
        // fixture was taken before PaymentWatch had answersWithoutOutcome (restored, it is 0) and a
        // phase (derived from the fields the fixture's version kept).
        assertThat(line(report, "FIX-P1 "))
                .contains(
                        "REQUERYING",
                        "order 101",
                        "WECHAT",
                        "88.00",
                        "PAYING since " + Instant.ofEpochMilli(rowsAt),
                        "next: step 1 at " + Instant.ofEpochMilli(rowsAt + HOUR),
                        "answers without outcome: 0");
        assertThat(report).contains("Remembered settled payments (resent callbacks are dropped): 4\n");
        assertThat(line(report, "FIX-P2 "))
                .contains("REMEMBERED", "order 102", "ALIPAY", "120.50", "SUCCESS", "published SUCCESS");
        assertThat(line(report, "FIX-P3 "))
                .contains("REMEMBERED", "order 103", "UNIONPAY", "15.00", "FAILED", "published nothing");
        assertThat(report).contains("Callbacks waiting for their payment row: 0\n");
        assertThat(report).contains("Orders paid but not marked PAID (re-notify pending): 2\n");
        assertThat(line(report, "order 102 "))
                .contains("payment FIX-P2", "next: re-notify 1 at " + Instant.ofEpochMilli(changesAt + HOUR));
        assertThat(line(report, "order 120 "))
                .contains("payment FIX-P120", "next: re-notify 1 at " + Instant.ofEpochMilli(changesAt + HOUR));
    }

    @Test
    void stockLedgerShowsTheCountsPerSkuAndTheOrdersWaitingForTheirExpiry() throws Exception {
        String report = report("stock-ledger");
        assertThat(report).contains("Job: stock-ledger (max parallelism 128)", "Stock per SKU: 2\n");
        // 7001 deducts on order: order 110 holds 3 unpaid, order 120 paid 1.
        assertThat(line(report, "SKU 7001 "))
                .containsPattern("total +100  reserved +3  sold +1  available +96  mode ORDER");
        // 7002 deducts on payment: orders 111 and 120 paid 2 each.
        assertThat(line(report, "SKU 7002 "))
                .containsPattern("total +10  reserved +0  sold +4  available +6  mode PAYMENT");
        // Orders 101 and 103 (no lines) and 110 (3 of 7001) are CREATED and unpaid: each expires an hour after it was
        // created. The fixture predates OrderStockState.orderPhase: it is derived from its expiryCheckAt.
        assertThat(report).contains("Unpaid orders waiting for their expiry: 3\n");
        assertThat(line(report, "order 101 "))
                .contains("user 1 ", "EXPIRY_PENDING", "expires at " + Instant.ofEpochMilli(rowsAt + HOUR));
        assertThat(line(report, "order 103 ")).contains("user 3 ", "expires at " + Instant.ofEpochMilli(rowsAt + HOUR));
        assertThat(line(report, "order 110 "))
                .contains("user 10 ", "expires at " + Instant.ofEpochMilli(changesAt + HOUR));
    }

    @Test
    void orderSearchShowsHowManyDocumentsItHolds() throws Exception {
        String report = report("order-search");
        assertThat(report).contains("Job: order-search (max parallelism 128)");
        // Orders 101, 102, 103, 110, 111 and 120; items 1101, 1111, 1201 and 1202.
        assertThat(report)
                .contains("Order documents held: 6 (4 items in all)\n", "Deleted orders kept as tombstones: 0\n");
    }

    @Test
    void reconciliationShowsPerChannelWhatWaitsForWhatAndWhatIsReconciled() throws Exception {
        String report = report("reconciliation");
        assertThat(report).contains("Job: reconciliation (max parallelism 128)");
        // Bill day 2026-12-02. FIX-P4's and FIX-P113's bill lines came before the shop's rows (the
        // shop writes them after the fixture): each waits, a discrepancy only if no row comes
        // within the shop wait (ten years in the fixture's settings).
        assertThat(report).contains("WECHAT: bill lines and shop records not reconciled yet: 3\n");
        assertThat(line(report, "WECHAT:PAYMENT:FIX-P4 "))
                .contains("bill 66.00 (2026-12-02, WECHAT_2026-12-02.csv:3)", "shop: none", "waits for the shop's row");
        assertThat(line(report, "ALIPAY:PAYMENT:FIX-P113 "))
                .contains("bill 20.00 (2026-12-02, ALIPAY_2026-12-02.zip!", "shop: none", "waits for the shop's row");
        // FIX-P111 succeeded in the shop and no bill carried it yet; FIX-P1 is still PAYING.
        assertThat(line(report, "WECHAT:PAYMENT:FIX-P111 "))
                .contains("bill: none", "shop 40.00 SUCCESS", "waits for a bill line (LOCAL_ONLY after");
        assertThat(line(report, "WECHAT:PAYMENT:FIX-P1 "))
                .contains("shop 88.00 IN_PROGRESS", "nothing to reconcile until it succeeds");
        // FIX-P120 (WeChat Pay) and FIX-P2 (Alipay) are matched and remembered.
        assertThat(report).contains("WECHAT: reconciled, remembered against bill lines and rows read again: 1\n");
        assertThat(line(report, "WECHAT:PAYMENT:FIX-P120 ")).contains("MATCHED", "bill 50.00", "shop 50.00 SUCCESS");
        assertThat(report).contains("ALIPAY: reconciled, remembered against bill lines and rows read again: 1\n");
        assertThat(line(report, "ALIPAY:PAYMENT:FIX-P2 ")).contains("MATCHED", "bill 120.50", "shop 120.50 SUCCESS");
    }

    private static String report(String job) throws Exception {
        String report = SavepointReport.reportOnLocalCluster(
                FIXTURES.resolve(job).toUri().toString());
        System.out.println(report);
        return report;
    }

    private static String line(String report, String containing) {
        return report.lines()
                .filter(l -> l.strip().startsWith(containing))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + report));
    }
}
