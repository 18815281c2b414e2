package io.paystream.jobs.reconcile;

import io.paystream.functions.options.InvalidOptionsException;
import io.paystream.functions.reconcile.BillParsers;
import io.paystream.functions.reconcile.BillReconciliation;
import io.paystream.functions.reconcile.BillReconciliationBuilder;
import io.paystream.functions.reconcile.Reconciliation;
import io.paystream.functions.reconcile.ShopSides;
import io.paystream.functions.reconcile.SummaryMismatchOnce;
import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.JsonRecordSerializer;
import io.paystream.jobs.kafka.PaystreamKafka;
import io.paystream.jobs.runtime.JobInputs;
import io.paystream.jobs.runtime.JobOutputs;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.ShopRows;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillRecord;
import io.paystream.state.reconcile.ReconcileFinding;
import io.paystream.state.reconcile.ShopSide;
import io.paystream.state.reconcile.SummaryMismatch;
import io.paystream.state.shop.PaymentChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Reconciliation (对账): every day's money proven against the channels' own daily bills,
 * continuously. Reads the bill files of WeChat Pay and Alipay as they arrive in a directory and the
 * shop's {@code payments} and {@code refunds} by CDC; per channel, each bill line meets the shop's
 * record of the same payment or refund ({@link BillReconciliation}). Publishes each payment's and
 * refund's finding once on {@code payment.reconciliation} (MATCHED, CHANNEL_ONLY, LOCAL_ONLY after
 * the pending days, AMOUNT_MISMATCH, STATUS_MISMATCH) with the bills' summary mismatches, alerts
 * discrepancies on {@code payment.alerts}, re-notifies the business of a charge its payment row
 * never showed ({@code order.commands}). Exactly once; a re-read bill changes nothing.
 *
 * <p>One bill reader per channel, in day order: a channel's bill time (the watermark) is the end
 * of the last day whose bill was read, and the pending holds wait for it (see {@link BillTime}).
 */
public final class ReconciliationJob implements PaystreamJob<ReconciliationJob.Inputs, ReconciliationJob.Outputs> {
    public static final String NAME = "reconciliation";
    public static final String SERVER_IDS = "5460-5469";
    /** uid of the summary check (stateful): fixed for savepoints. */
    public static final String SUMMARY_MISMATCH_ONCE_UID = "summary-mismatch-once";

    /** uid of a channel's reconciliation (stateful): fixed for savepoints, also read by the savepoint report. */
    public static String reconcileUid(PaymentChannel channel) {
        return "reconcile-" + channel.name().toLowerCase();
    }

    /** What the job reads: {@code payments} and {@code refunds} by CDC, and each channel's bill files. */
    public static class Inputs extends JobInputs {
        public Inputs(Settings settings) {
            super(settings, NAME, SERVER_IDS, ShopTable.PAYMENTS, ShopTable.REFUNDS);
        }

        /** Bills are read once, then the job ends: one day's check ({@code reconcile.bills.monitor-interval} 0). */
        public boolean bounded() {
            return settings.get(ReconciliationOptions.BILLS_MONITOR_INTERVAL).isZero();
        }

        /** One channel's bill files, earliest day first, stamped with bill time (uid {@code bills-source-<channel>}). */
        public DataStream<BillRecord> bills(
                StreamExecutionEnvironment env, PaymentChannel channel, BillCalendar calendar) {
            FileSource.FileSourceBuilder<BillRecord> source = FileSource.forBulkFileFormat(
                            new BillFileFormat(channel), new Path(settings.get(ReconciliationOptions.BILLS_PATH)))
                    .setFileEnumerator(() -> new BillFileEnumerator(channel))
                    .setSplitAssigner(BillDayOrder::new);
            Duration interval = settings.get(ReconciliationOptions.BILLS_MONITOR_INTERVAL);
            if (!interval.isZero()) {
                source.monitorContinuously(interval);
            }
            String c = channel.name().toLowerCase();
            return env.fromSource(
                            source.build(),
                            BillTime.ofBills(calendar),
                            "bills " + channel,
                            TypeInformation.of(BillRecord.class))
                    .setParallelism(1) // one reader in day order: see BillTime
                    .uid("bills-source-" + c)
                    .name(channel + " bills (files)");
        }
    }

    /** What the job emits, before the sinks. */
    public static final class Outputs extends JobOutputs {
        public final DataStream<ReconcileFinding> findings;
        public final DataStream<SummaryMismatch> summaryMismatches;
        public final DataStream<Alert> alerts;
        public final DataStream<OrderCommand> orderCommands;

        Outputs(
                DataStream<ReconcileFinding> findings,
                DataStream<SummaryMismatch> summaryMismatches,
                DataStream<Alert> alerts,
                DataStream<OrderCommand> orderCommands,
                DataStream<DeadLetter> deadLetters) {
            super(deadLetters);
            this.findings = findings;
            this.summaryMismatches = summaryMismatches;
            this.alerts = alerts;
            this.orderCommands = orderCommands;
        }

        @Override
        protected Map<String, DataStream<?>> named() {
            Map<String, DataStream<?>> m = new LinkedHashMap<>();
            m.put("findings", findings);
            m.put("summary-mismatches", summaryMismatches);
            m.put("alerts", alerts);
            m.put("order-commands", orderCommands);
            return m;
        }
    }

    public static void main(String[] args) throws Exception {
        JobRunner.run(new ReconciliationJob(), args);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "reconcile the channels' daily bills with the shop's payments and refunds, continuously and exactly once";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return PaystreamOptions.declaredIn(ReconciliationOptions.class);
    }

    @Override
    public Inputs inputs(Settings settings) {
        return new Inputs(settings);
    }

    @Override
    public Outputs wire(StreamExecutionEnvironment env, Inputs inputs, Settings settings) {
        ShopRows shop = inputs.shop(env); // the database settings are checked first, as in every job
        BillReconciliationBuilder options = checkedOptions(settings);
        BillCalendar calendar = options.calendar();
        Set<PaymentChannel> reconciled = channels(settings);
        DataStream<ShopSide> shopSides = shop.payments()
                .map(ShopSides::of, TypeInformation.of(ShopSide.class))
                .uid("payment-shop-sides")
                .name("Payments as the shop's side")
                .union(shop.refunds()
                        .map(ShopSides::ofRefund, TypeInformation.of(ShopSide.class))
                        .uid("refund-shop-sides")
                        .name("Refunds as the shop's side"));
        if (!inputs.bounded()) {
            // Continuously, the rows never end: they must not hold bill time back. A bounded run lets
            // the end of the snapshot count instead (the holds end when both the bills and the rows are in).
            shopSides = shopSides
                    .assignTimestampsAndWatermarks(BillTime.ofShopRows())
                    .uid("shop-rows-bill-time")
                    .name("Shop rows never hold bill time");
        }

        DataStream<ReconcileFinding> findings = null;
        DataStream<SummaryMismatch> mismatches = null;
        DataStream<Alert> alerts = null;
        DataStream<OrderCommand> orderCommands = null;
        DataStream<DeadLetter> deadLetters = shop.deadLetters();
        for (PaymentChannel channel : reconciled) {
            String c = channel.name().toLowerCase();
            SingleOutputStreamOperator<BillLine> lines = inputs.bills(env, channel, calendar)
                    .process(new BillRecordRouting(), TypeInformation.of(BillLine.class))
                    .setParallelism(1)
                    .uid("bill-records-" + c)
                    .name(channel + " bill lines");
            SingleOutputStreamOperator<ReconcileFinding> findingsOfChannel = lines.keyBy(
                            l -> Reconciliation.key(l.channel, l.kind, l.shopId()), TypeInformation.of(String.class))
                    .connect(shopSides
                            .filter(s -> s.channel == channel)
                            .uid("shop-sides-" + c)
                            .name("The shop's " + channel + " payments and refunds")
                            .keyBy(ShopSides::key, TypeInformation.of(String.class)))
                    .process(options.build(), TypeInformation.of(ReconcileFinding.class))
                    .uid(reconcileUid(channel))
                    .name("Reconcile " + channel + " bills (per payment or refund)");
            findings = union(findings, findingsOfChannel);
            mismatches = union(mismatches, lines.getSideOutput(BillRecordRouting.SUMMARY_MISMATCHES));
            alerts = union(alerts, findingsOfChannel.getSideOutput(BillReconciliation.ALERTS));
            orderCommands = union(orderCommands, findingsOfChannel.getSideOutput(BillReconciliation.ORDER_COMMANDS));
            deadLetters = deadLetters
                    .union(lines.getSideOutput(BillRecordRouting.DEAD_LETTERS))
                    .union(findingsOfChannel.getSideOutput(BillReconciliation.DEAD_LETTERS));
        }
        SingleOutputStreamOperator<SummaryMismatch> mismatchesOnce = mismatches
                .keyBy(m -> m.id, TypeInformation.of(String.class))
                .process(options.buildSummaryCheck(), TypeInformation.of(SummaryMismatch.class))
                .uid(SUMMARY_MISMATCH_ONCE_UID)
                .name("Bill totals that do not add up, once per bill day");
        return new Outputs(
                findings,
                mismatchesOnce,
                alerts.union(mismatchesOnce.getSideOutput(SummaryMismatchOnce.ALERTS)),
                orderCommands,
                deadLetters);
    }

    /** {@code reconcile.channels}, checked: each a channel whose bill format is confirmed. */
    static Set<PaymentChannel> channels(Settings settings) {
        Set<PaymentChannel> channels = EnumSet.noneOf(PaymentChannel.class);
        List<String> problems = new ArrayList<>();
        for (String name : settings.get(ReconciliationOptions.CHANNELS).split(",")) {
            String n = name.trim().toUpperCase();
            if (n.isEmpty()) {
                continue;
            }
            try {
                PaymentChannel c = PaymentChannel.valueOf(n);
                if (BillParsers.CHANNELS.contains(c)) {
                    channels.add(c);
                } else {
                    problems.add(ReconciliationOptions.CHANNELS.key() + ": " + c
                            + " has no bill format paystream reads (docs/reconcile-formats.md)");
                }
            } catch (IllegalArgumentException e) {
                problems.add(ReconciliationOptions.CHANNELS.key() + ": '" + name.trim() + "' is no channel; one of "
                        + BillParsers.CHANNELS);
            }
        }
        if (channels.isEmpty() && problems.isEmpty()) {
            problems.add(ReconciliationOptions.CHANNELS.key() + ": names no channel");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return channels;
    }

    private static <T> DataStream<T> union(DataStream<T> all, DataStream<T> more) {
        return all == null ? more : all.union(more);
    }

    /** The reconciliation's options and the bills' path; every bad setting named at once. */
    static BillReconciliationBuilder checkedOptions(Settings settings) {
        List<String> problems = new ArrayList<>();
        String path = settings.get(ReconciliationOptions.BILLS_PATH);
        if (path == null || path.isBlank()) {
            problems.add(ReconciliationOptions.BILLS_PATH.key() + ": required, the directory the bill files arrive in");
        }
        if (settings.get(ReconciliationOptions.BILLS_MONITOR_INTERVAL).isNegative()) {
            problems.add(ReconciliationOptions.BILLS_MONITOR_INTERVAL.key() + ": must be 0 or more");
        }
        BillReconciliationBuilder options = BillReconciliation.builder().from(settings.toConfiguration());
        try {
            options.calendar();
        } catch (InvalidOptionsException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return options;
    }

    /** Exactly-once Kafka sinks for the findings, the mismatches, alerts and commands; at-least-once dead letters. */
    @Override
    public void sinkTo(Outputs out, Settings settings) {
        String topic = settings.get(PaystreamOptions.TOPIC_RECONCILIATION);
        out.findings
                .sinkTo(PaystreamKafka.exactlyOnceSink(
                        settings,
                        NAME,
                        "findings",
                        new JsonRecordSerializer<ReconcileFinding>(topic, f -> f.paymentId)))
                .uid("reconciliation-sink")
                .name("Reconciliation findings to Kafka");
        out.summaryMismatches
                .sinkTo(PaystreamKafka.exactlyOnceSink(
                        settings,
                        NAME,
                        "summary-mismatches",
                        new JsonRecordSerializer<SummaryMismatch>(topic, m -> m.id)))
                .uid("summary-mismatch-sink")
                .name("Bill summary mismatches to Kafka");
        PaystreamKafka.sinkOrderCommands(out.orderCommands, settings, NAME);
        PaystreamKafka.sinkAlerts(out.alerts, settings, NAME);
        PaystreamKafka.sinkDeadLetters(out.deadLetters, settings, NAME);
    }
}
