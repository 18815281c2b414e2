package io.paystream.sandbox.cluster;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.stock.StockLedgerOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the sandbox's status line shows per job: its business counters (Flink metric names), in
 * order, and extra text read from the job's outputs. The sandbox's view of the jobs, kept here
 * rather than in the production job classes.
 */
public final class JobStatusTable {
    private record Row(List<String> metrics, Function<Settings, String> text) {}

    private static final Map<String, Row> ROWS = Map.of(
            "payments",
            new Row(
                    List.of(
                            "openPayments",
                            "requeriesSent",
                            "recoveredByQuery",
                            "lostPaymentsExternal",
                            "renotifiesSent",
                            "lostPaymentsInternal",
                            "outcomesPublished",
                            "duplicatesDropped",
                            "rejectedForged",
                            "rejectedStale",
                            "rejectedAmountMismatch",
                            "rejectedUnknownPayment",
                            "refundOutcomesPublished",
                            "refundRequeriesSent",
                            "lostRefunds"),
                    s -> ""),
            "stock-ledger",
            new Row(
                    List.of(
                            "reservedUnits",
                            "soldUnits",
                            "unpaidExpired",
                            "oversoldOrders",
                            "duplicateSubmissions",
                            "purchaseLimitExceeded",
                            "suspiciousAccounts",
                            "stockWrites"),
                    // A few live values from Redis; called every few seconds, so it stays cheap.
                    s -> LiveSkus.describe(
                            s.get(PaystreamOptions.REDIS_URI), s.get(StockLedgerOptions.REDIS_KEY_PREFIX), 3)),
            "order-search",
            new Row(
                    List.of(
                            "documentsWritten",
                            "freshnessLagMs",
                            "staleWritesIgnored",
                            "documentsRejected",
                            "bulkRetries"),
                    s -> ""),
            "reconciliation",
            new Row(
                    List.of(
                            "billsRead",
                            "billLines",
                            "reconciledMatched",
                            "reconciledChannelOnly",
                            "reconciledLocalOnly",
                            "reconciledAmountMismatch",
                            "reconciledStatusMismatch",
                            "billSummaryMismatches",
                            "billLinesRejected"),
                    s -> ""));

    private JobStatusTable() {}

    /** The business counters the status line shows for {@code job}, in order; none for a job not listed. */
    public static List<String> metrics(String job) {
        Row r = ROWS.get(job);
        return r == null ? List.of() : r.metrics();
    }

    /** Extra status text for {@code job}, read from its outputs given its settings; empty for none. */
    public static String text(String job, Settings settings) {
        Row r = ROWS.get(job);
        return r == null ? "" : r.text().apply(settings);
    }
}
