package io.paystream.functions.payments;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.Alert;
import io.paystream.state.payments.Money;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * External loss, per payment: a payment that enters PAYING and hears no outcome gets re-query
 * commands at fixed offsets from its own PAYING time, then a {@code LOST_PAYMENT_EXTERNAL} alert
 * once the last answer is overdue. Any outcome ends it.
 *
 * <p>Deadlines are processing-time timers computed from the row's timestamp, not event time: they
 * fire in a quiet night with no traffic, and after a restore the overdue ones fire at once. The
 * binlog version of each row makes replays and stale rows harmless.
 */
public class PaymentTimeouts extends KeyedProcessFunction<String, RowChange<PaymentRow>, RequeryCommand> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<Alert> ALERTS = new OutputTag<>("payment-timeout-alerts", TypeInformation.of(Alert.class));

    private final Schedule requerySchedule;
    private final long answerTimeoutMs;
    private final long settledRetentionMs;
    private final Duration safetyTtl;

    private transient ValueState<PaymentWatch> watch;
    private transient Counter requeriesSent;
    private transient Counter lostExternal;
    private transient Counter recoveredAfterRequery;
    private transient Counter started;
    private transient Counter settled;
    private transient Counter replaysIgnored;
    private transient Histogram detectionLagMs;

    public PaymentTimeouts(Schedule requerySchedule, Duration answerTimeout, Duration settledRetention, Duration safetyTtl) {
        if (requerySchedule.size() == 0) {
            throw new IllegalArgumentException("the re-query schedule needs at least one attempt");
        }
        this.requerySchedule = requerySchedule;
        this.answerTimeoutMs = answerTimeout.toMillis();
        this.settledRetentionMs = settledRetention.toMillis();
        this.safetyTtl = safetyTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<PaymentWatch> d = new ValueStateDescriptor<>("payment-watch", PaymentWatch.class);
        // A safety net only: every path below clears the state itself when the payment is done.
        d.enableTimeToLive(StateTtlConfig.newBuilder(safetyTtl).cleanupInRocksdbCompactFilter(10_000).build());
        watch = getRuntimeContext().getState(d);
        var metrics = getRuntimeContext().getMetricGroup();
        requeriesSent = metrics.counter("requeriesSent");
        lostExternal = metrics.counter("lostPaymentsExternal");
        recoveredAfterRequery = metrics.counter("recoveredAfterRequery");
        started = metrics.counter("paymentsWatched");
        settled = metrics.counter("paymentsSettled");
        replaysIgnored = metrics.counter("replaysIgnored");
        metrics.gauge("openPayments", () -> started.getCount() - settled.getCount());
        detectionLagMs = metrics.histogram("requeryLagMs", new DescriptiveStatisticsHistogram(10_000));
    }

    @Override
    public void processElement(RowChange<PaymentRow> change, Context ctx, Collector<RequeryCommand> out) throws Exception {
        PaymentWatch w = watch.value();
        if (w != null && change.version <= w.version) {
            // A replay (restore, CDC re-read) or a row older than one already applied: nothing new.
            replaysIgnored.inc();
            return;
        }
        if (change.isDelete()) {
            // The row is gone: nothing left to watch.
            if (w != null && w.isWatching()) {
                ctx.timerService().deleteProcessingTimeTimer(deadline(w));
                settled.inc();
            }
            watch.clear();
            return;
        }
        PaymentRow row = change.after;
        if (w == null && row.status == PaymentStatus.CREATED) {
            return; // not paying yet: no state for payments that may never be paid
        }
        if (w == null) {
            w = new PaymentWatch();
        }
        boolean wasWatching = w.isWatching();
        PaymentStatus previous = w.status;
        if (wasWatching && (row.status != PaymentStatus.PAYING)) {
            // Leaving PAYING: the running schedule ends here, whatever comes next.
            ctx.timerService().deleteProcessingTimeTimer(deadline(w));
            settled.inc();
            if (w.nextAttempt > 1 && row.status == PaymentStatus.SUCCESS) {
                recoveredAfterRequery.inc();
            }
        }
        w.version = change.version;
        w.status = row.status;
        w.orderId = row.orderId;
        w.channel = row.channel;
        w.amountCents = row.amountCents;

        if (row.status == PaymentStatus.PAYING) {
            if (previous != PaymentStatus.PAYING) {
                // Entering PAYING (first time, or again after FAILED): a fresh schedule from the
                // row's own timestamp, so CDC delay and downtime are already counted in.
                w.payingSince = row.updatedAtMs;
                w.nextAttempt = 1;
                w.lastActionAt = 0;
                ctx.timerService().registerProcessingTimeTimer(deadline(w));
                started.inc();
            }
            // Still PAYING (another column changed, or after an alert): nothing restarts.
            watch.update(w);
        } else if (row.status.isOutcome()) {
            // Settled: keep only a marker, so a replayed or late PAYING row cannot restart it.
            settle(w, ctx);
        } else {
            // Back to CREATED: nothing to wait for any more.
            watch.clear();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RequeryCommand> out) throws Exception {
        PaymentWatch w = watch.value();
        if (w == null) {
            return;
        }
        if (!w.isWatching()) {
            // The settled marker's retention is over: forget the payment.
            if (timestamp >= settledUntil(w)) {
                watch.clear();
            }
            return;
        }
        if (timestamp != deadline(w)) {
            return; // a timer of an earlier schedule that could not be deleted; not ours to act on
        }
        long now = ctx.timerService().currentProcessingTime();
        int max = requerySchedule.size();
        if (w.nextAttempt <= max) {
            RequeryCommand cmd = new RequeryCommand();
            cmd.paymentId = ctx.getCurrentKey();
            cmd.orderId = w.orderId;
            cmd.channel = w.channel.name();
            cmd.attempt = w.nextAttempt;
            cmd.maxAttempts = max;
            cmd.payingSince = w.payingSince;
            cmd.dueAt = timestamp;
            cmd.emittedAt = now;
            cmd.commandId = RequeryCommand.commandId(cmd.paymentId, w.payingSince, w.nextAttempt);
            out.collect(cmd);
            requeriesSent.inc();
            detectionLagMs.update(Math.max(0, now - timestamp));
            w.nextAttempt++;
            w.lastActionAt = now;
            ctx.timerService().registerProcessingTimeTimer(deadline(w));
            watch.update(w);
        } else {
            // The last answer is overdue: a person has to look at it.
            Alert a = new Alert();
            a.type = Alert.LOST_PAYMENT_EXTERNAL;
            a.alertId = a.type + ":" + ctx.getCurrentKey() + ":" + w.payingSince;
            a.paymentId = ctx.getCurrentKey();
            a.orderId = w.orderId;
            a.channel = w.channel.name();
            a.amount = Money.yuan(w.amountCents);
            a.reason = "no outcome " + answerTimeoutMs / 1000 + " s after re-query " + max + " of " + max
                    + " (PAYING since " + w.payingSince + ")";
            a.raisedAt = now;
            ctx.output(ALERTS, a);
            lostExternal.inc();
            settled.inc();
            settle(w, ctx);
        }
    }

    /** When the next thing is due: the next attempt's offset, or the last answer's timeout. */
    private long deadline(PaymentWatch w) {
        if (w.nextAttempt <= requerySchedule.size()) {
            return w.payingSince + requerySchedule.offset(w.nextAttempt);
        }
        // After a restore the attempts may have gone out late: the answer gets its full timeout.
        long lastDue = w.payingSince + requerySchedule.offset(requerySchedule.size());
        return Math.max(lastDue, w.lastActionAt) + answerTimeoutMs;
    }

    private void settle(PaymentWatch w, Context ctx) throws Exception {
        w.nextAttempt = 0;
        w.lastActionAt = ctx.timerService().currentProcessingTime();
        watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(settledUntil(w));
    }

    private long settledUntil(PaymentWatch w) {
        return w.lastActionAt + settledRetentionMs;
    }
}
