package io.paystream.jobs.tools;

import io.paystream.jobs.config.Settings;
import io.paystream.jobs.reconcile.ReconciliationJob;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.state.contract.Money;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.reconcile.ReconcileClass;
import io.paystream.state.reconcile.ReconcileFinding;
import io.paystream.state.reconcile.SummaryMismatch;
import io.paystream.state.shop.PaymentChannel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * One day's reconciliation as a bounded run ({@code deploy/reconcile --channel C --date D --bill
 * FILE}): the reconciliation job's own wiring, its bill source reading the one file and ending, the
 * shop's payments and refunds read as a snapshot (CDC {@code snapshot} mode, no binlog), every
 * discrepancy published at once ({@code reconcile.shop-wait} 0) and the last word per payment or
 * refund printed. Nothing is written to Kafka: it is a check a person runs, for a day the
 * continuous job has not seen or to look again. Exit 0: every line matched; 1: discrepancies;
 * 2: bad arguments or settings.
 */
public final class ReconcileOneDay {
    private ReconcileOneDay() {}

    /** What the run found. */
    public record Report(
            PaymentChannel channel,
            String billDate,
            List<ReconcileFinding> findings,
            List<SummaryMismatch> summaryMismatches,
            List<DeadLetter> deadLetters) {
        public Map<ReconcileClass, Integer> counts() {
            Map<ReconcileClass, Integer> counts = new EnumMap<>(ReconcileClass.class);
            findings.forEach(f -> counts.merge(f.findingClass, 1, Integer::sum));
            return counts;
        }

        public boolean allMatched() {
            return summaryMismatches.isEmpty()
                    && deadLetters.isEmpty()
                    && findings.stream().allMatch(f -> f.findingClass == ReconcileClass.MATCHED);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> own = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--channel") || a.equals("--date") || a.equals("--bill")) && i + 1 < args.length) {
                own.put(a.substring(2), args[++i]);
            } else {
                rest.add(a);
            }
        }
        if (!own.keySet().containsAll(List.of("channel", "date", "bill"))) {
            System.err.println(
                    "usage: deploy/reconcile --channel WECHAT|ALIPAY --date yyyy-MM-dd --bill FILE [settings ...]");
            System.exit(2);
        }
        Report report;
        try {
            report = run(
                    PaymentChannel.valueOf(own.get("channel").toUpperCase()),
                    LocalDate.parse(own.get("date")).toString(),
                    Path.of(own.get("bill")),
                    rest.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            System.err.println("reconcile: " + e.getMessage());
            System.exit(2);
            return;
        }
        print(report, System.out);
        System.exit(report.allMatched() ? 0 : 1);
    }

    /** Runs the check of {@code bill} (the bill of {@code channel} for {@code billDate}) with the settings in {@code args}. */
    public static Report run(PaymentChannel channel, String billDate, Path bill, String... args) throws Exception {
        if (!Files.isRegularFile(bill)) {
            throw new IllegalArgumentException("no bill file " + bill);
        }
        // The job reads a directory of bills by their names: give it one holding this bill, so named.
        Path dir = Files.createTempDirectory("paystream-reconcile-");
        try {
            String name = BillFiles.name(channel, LocalDate.parse(billDate))
                    + (bill.getFileName().toString().endsWith(".gz") ? ".gz" : "");
            Files.copy(bill, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of(
                    "--reconcile.bills.path",
                    dir.toUri().toString(),
                    "--reconcile.bills.monitor-interval",
                    "0 s",
                    "--reconcile.channels",
                    channel.name(),
                    "--reconcile.first-day",
                    billDate,
                    "--reconcile.last-day",
                    billDate,
                    "--reconcile.shop-wait",
                    "0 s",
                    "--mysql.startup-mode",
                    "snapshot"));
            ReconciliationJob job = new ReconciliationJob();
            Settings settings = JobRunner.settings(job, all.toArray(new String[0]), System.getenv());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            ReconciliationJob.Outputs out = JobRunner.wire(job, settings, env, job.inputs(settings));
            // A bounded run is never restored: its collecting sinks need no uids of their own.
            Configuration uids = new Configuration();
            uids.set(PipelineOptions.AUTO_GENERATE_UIDS, true);
            env.configure(uids);
            try (CloseableIterator<ReconcileFinding> findings = out.findings.collectAsync();
                    CloseableIterator<SummaryMismatch> mismatches = out.summaryMismatches.collectAsync();
                    CloseableIterator<DeadLetter> deadLetters = out.deadLetters.collectAsync()) {
                env.execute("paystream reconcile " + channel + " " + billDate);
                // The last word per payment or refund: a line read before its row said CHANNEL_ONLY first.
                Map<String, ReconcileFinding> latest = new LinkedHashMap<>();
                findings.forEachRemaining(
                        f -> latest.put(f.channel + ":" + f.kind + ":" + f.paymentId + ":" + f.refundId, f));
                List<ReconcileFinding> sorted = new ArrayList<>(latest.values());
                sorted.sort(Comparator.comparing((ReconcileFinding f) -> f.findingClass)
                        .thenComparing(f -> f.paymentId)
                        .thenComparing(f -> f.refundId == null ? "" : f.refundId));
                List<SummaryMismatch> m = new ArrayList<>();
                mismatches.forEachRemaining(m::add);
                List<DeadLetter> d = new ArrayList<>();
                deadLetters.forEachRemaining(d::add);
                return new Report(channel, billDate, sorted, m, d);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public static void print(Report r, PrintStream out) {
        out.println("reconciliation of " + r.channel() + "'s bill of " + r.billDate());
        long onBill = r.findings().stream().filter(f -> f.billDate != null).count();
        out.println("  bill lines reconciled: " + onBill + ", rejected: "
                + r.deadLetters().size());
        StringBuilder counts = new StringBuilder("  ");
        r.counts().forEach((c, n) -> counts.append(c).append(' ').append(n).append("  "));
        out.println(counts.toString().stripTrailing());
        for (SummaryMismatch m : r.summaryMismatches()) {
            out.println("  SUMMARY_MISMATCH " + m.figure + ": the bill states " + m.stated + ", its lines add up to "
                    + m.computed);
        }
        for (ReconcileFinding f : r.findings()) {
            if (f.findingClass == ReconcileClass.MATCHED) {
                continue;
            }
            String subject =
                    f.refundId == null ? "payment " + f.paymentId : "refund " + f.refundId + " of " + f.paymentId;
            String bill = f.billAmountFen == null
                    ? "not on the bill"
                    : "bill " + Money.yuan(f.billAmountFen) + " " + f.billStatus;
            String shop = f.shopStatus == null
                    ? "no shop record"
                    : "shop " + Money.yuan(f.shopAmountFen) + " " + f.shopStatus;
            String where = f.sourceFile == null
                    ? "(pending: a bill up to "
                            + BillCalendar.BEIJING_DAYS.dateOf(f.alertableAt - 1) + " may still carry it; "
                            + Instant.ofEpochMilli(f.alertableAt) + ")"
                    : f.sourceFile + ":" + f.lineNumber;
            out.printf("  %-16s %-34s %-28s %-26s %s%n", f.findingClass, subject, bill, shop, where);
        }
        for (DeadLetter d : r.deadLetters()) {
            out.println("  dead letter " + d.source + ": " + d.reason);
        }
        out.println(r.allMatched() ? "every line matched" : "discrepancies found");
    }
}
