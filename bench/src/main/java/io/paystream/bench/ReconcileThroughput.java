package io.paystream.bench;

import io.paystream.channels.bills.BillEntry;
import io.paystream.channels.bills.WechatTradeBillWriter;
import io.paystream.functions.reconcile.BillSink;
import io.paystream.functions.reconcile.WechatTradeBillParser;
import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.reconcile.ReconciliationJob;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.servers.ScratchDirectories;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.reconcile.RejectedBillLine;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Bill lines reconciled per second through the reconciliation job's own wiring (its bill source
 * reading the file, the per-channel reconciliation on RocksDB, a discarding sink), beside the
 * ceiling measured in the same run: the time to merely parse the same file on one thread. The
 * shop's side is one SUCCESS payment row per bill line (generated, as the CDC would deliver it), so
 * every line meets its row: the job does what it does on a normal day.
 */
final class ReconcileThroughput {
    private static final String DAY = "2026-11-28";

    private ReconcileThroughput() {}

    static void run(int lines, int parallelism, int runs) throws Exception {
        Path dir = ScratchDirectories.create("paystream-bench-bills");
        Path bill = write(dir, lines);
        System.out.printf(
                "reconciliation: a WeChat Pay bill of %,d payment lines (%,d MB), each with its shop row; Flink parallelism"
                        + " %d, RocksDB%n",
                lines, Files.size(bill) >> 20, parallelism);
        for (int r = 1; r <= runs; r++) {
            double parse = parseOnly(bill, lines);
            double job = throughJob(dir, lines, parallelism);
            System.out.printf(
                    "run %d: parse only (ceiling, one thread) %,.0f lines/s | reconciled through the job %,.0f lines/s"
                            + " (%.0f%% of the ceiling)%n",
                    r, parse, job, 100 * job / parse);
        }
    }

    private static Path write(Path dir, int lines) throws Exception {
        LocalDate day = LocalDate.parse(DAY);
        Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.ofHours(8));
        List<BillEntry> entries = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            entries.add(BillEntry.payment("P" + i, "T" + i, amountFen(i), "SUCCESS", noon.plusMillis(i)));
        }
        Path file = dir.resolve(BillFiles.name(PaymentChannel.WECHAT, day));
        WechatTradeBillWriter.write(file, day, entries, false);
        return file;
    }

    private static long amountFen(long i) {
        return 100 + (i % 10_000);
    }

    /** The ceiling: the parser alone, into a sink that only counts. */
    private static double parseOnly(Path bill, int lines) throws Exception {
        long[] seen = new long[1];
        long t0 = System.nanoTime();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bill), 1 << 16)) {
            WechatTradeBillParser.parse(in, DAY, bill.getFileName().toString(), new BillSink() {
                @Override
                public void line(BillLine line) {
                    seen[0]++;
                }

                @Override
                public void rejected(RejectedBillLine rejected) {
                    throw new IllegalStateException("rejected: " + rejected);
                }

                @Override
                public void summary(BillSummary summary) {}
            });
        }
        if (seen[0] != lines) {
            throw new IllegalStateException("parsed " + seen[0] + " lines of " + lines);
        }
        return lines / ((System.nanoTime() - t0) / 1e9);
    }

    private static double throughJob(Path dir, int lines, int parallelism) throws Exception {
        ReconciliationJob job = new ReconciliationJob();
        Settings settings = JobRunner.settings(
                job,
                new String[] {
                    "--mysql.password", "not-used",
                    "--parallelism", String.valueOf(parallelism),
                    "--reconcile.bills.path", dir.toUri().toString(),
                    "--reconcile.bills.monitor-interval", "0 s",
                    "--reconcile.channels", "WECHAT",
                    "--reconcile.first-day", DAY,
                    "--reconcile.shop-wait", "0 s"
                },
                Map.of());
        ReconciliationJob.Inputs inputs = new ReconciliationJob.Inputs(settings) {
            @Override
            public ShopChangeStreams shopChanges(StreamExecutionEnvironment env) {
                long successAt = LocalDate.parse(DAY)
                        .atTime(12, 0)
                        .toInstant(ZoneOffset.ofHours(8))
                        .toEpochMilli();
                return ShopChangeStreams.split(env.fromSequence(0, lines - 1)
                        .uid("bench-sequence")
                        .map(i -> ShopChange.ofPayment(
                                new RowChange<>(ChangeOp.CREATE, null, row(i, successAt), successAt, i + 1)))
                        .returns(ShopTypes.SHOP_CHANGE)
                        .uid("bench-shop-rows")
                        .name("Generated payment rows"));
            }
        };
        StreamExecutionEnvironment env = BenchEnv.create(parallelism);
        ReconciliationJob.Outputs out = JobRunner.wire(job, settings, env, inputs);
        out.findings.sinkTo(new DiscardingSink<>()).uid("bench-findings").name("Discard findings");
        JobExecutionResult result = env.execute("reconcile bench");
        return lines * 1000.0 / result.getNetRuntime();
    }

    private static PaymentRow row(long i, long successAt) {
        PaymentRow r = new PaymentRow();
        r.paymentId = "P" + i;
        r.orderId = i;
        r.channel = PaymentChannel.WECHAT;
        r.amountCents = amountFen(i);
        r.status = PaymentStatus.SUCCESS;
        r.channelTxnId = "T" + i;
        r.createdAtMs = successAt - 60_000;
        r.updatedAtMs = successAt;
        return r;
    }
}
