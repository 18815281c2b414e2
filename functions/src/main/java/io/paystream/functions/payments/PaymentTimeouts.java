package io.paystream.functions.payments;

import io.paystream.functions.RestoreGrace;
import io.paystream.functions.SafetyTtl;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentOutcome;
import io.paystream.state.payments.PaymentPhase;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.serializers.PaymentWatchSerializer;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One truth per payment: its row from CDC, its verified notifications (callbacks and query
 * answers), its re-query schedule and what was already published about it. Each payment is in
 * one {@link PaymentPhase}: AWAITING_ROW (notifications came first), REQUERYING (PAYING, re-query
 * commands at fixed offsets from its own PAYING time, then {@code LOST_PAYMENT_EXTERNAL} once the
 * last answer is overdue), REMEMBERED (kept {@code rememberFor} after its last change to match and
 * deduplicate notifications; channels resend for 24 h). Any outcome ends the schedule; a verified
 * notification that matches the row and is a new fact is published once.
 *
 * <p>Deadlines are processing-time timers computed from the row's timestamp, not event time: they
 * fire in a quiet night, and after a restore the overdue ones fire once {@code timeouts.restore-grace}
 * has let the replayed input in ({@link io.paystream.functions.RestoreGrace}). The binlog version of
 * each row makes replays and stale rows harmless. The schedule and its timers ({@link PaymentTimers}) and
 * the notification checks ({@link PaymentNotifications}) are in classes of their own.
 */
public class PaymentTimeouts
        extends KeyedCoProcessFunction<String, RowChange<PaymentRow>, PaymentNotification, RequeryCommand>
        implements CheckpointedFunction {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String WATCH_STATE = "payment-watch";
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String AWAITING_ROW_STATE = "awaiting-row";

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Alert> ALERTS = new OutputTag<>("payment-alerts", TypeInformation.of(Alert.class));
    public static final OutputTag<PaymentOutcome> OUTCOMES =
            new OutputTag<>("payment-outcomes", TypeInformation.of(PaymentOutcome.class));

    final Schedule requerySchedule;
    final long answerTimeoutMs;
    final long rememberForMs;
    final long rowWaitMs;
    final long restoreGraceMs;
    private final Duration safetyTtl;

    transient ValueState<PaymentWatch> watch;
    transient PaymentMetrics metrics;
    transient PaymentNotifications notifications;
    transient PaymentTimers timers;
    /** Whether this run started from a checkpoint or savepoint (Flink says so in initializeState). */
    private transient boolean restored;
    /** Holds due deadlines for {@code timeouts.restore-grace} after a restore; made at each open. */
    transient RestoreGrace restoreGrace;

    PaymentTimeouts(PaymentTimeoutsBuilder b) {
        this.requerySchedule = b.schedule;
        this.answerTimeoutMs = b.answerTimeout.toMillis();
        this.rememberForMs = b.rememberFor.toMillis();
        this.rowWaitMs = b.rowWait.toMillis();
        this.restoreGraceMs = b.restoreGrace.toMillis();
        this.safetyTtl = b.safetyTtl;
    }

    /**
     * The per-payment state, also read by the jobs' savepoint report. Its hand-written serializer
     * (a fifth of this operator's time went to Flink's POJO serializer, issue 15) migrates the
     * POJO-serialized state of older savepoints on restore.
     */
    public static ValueStateDescriptor<PaymentWatch> watchDescriptor() {
        return new ValueStateDescriptor<>(WATCH_STATE, PaymentWatchSerializer.INSTANCE);
    }

    /** Options with the settings' defaults; {@code build()} checks them, naming each bad setting. */
    public static PaymentTimeoutsBuilder builder() {
        return new PaymentTimeoutsBuilder();
    }

    /**
     * Only to learn whether this run restored: the keyed state and the timers are the operator's,
     * snapshotted and restored by it; this function keeps no operator state of its own.
     */
    @Override
    public void initializeState(FunctionInitializationContext context) {
        restored = context.isRestored();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Nothing of its own to snapshot (see initializeState).
    }

    @Override
    public void open(OpenContext openContext) {
        // A safety net only: every path clears the state itself when the payment is done.
        StateTtlConfig ttl = SafetyTtl.of(safetyTtl);
        ValueStateDescriptor<PaymentWatch> w = watchDescriptor();
        w.enableTimeToLive(ttl);
        watch = getRuntimeContext().getState(w);
        ListStateDescriptor<PaymentNotification> p =
                new ListStateDescriptor<>(AWAITING_ROW_STATE, PaymentNotification.class);
        p.enableTimeToLive(ttl);
        metrics = new PaymentMetrics(getRuntimeContext().getMetricGroup());
        notifications = new PaymentNotifications(this, getRuntimeContext().getListState(p));
        timers = new PaymentTimers(this);
        restoreGrace = RestoreGrace.opening(getRuntimeContext(), restored, restoreGraceMs);
    }

    // --- the payment row ------------------------------------------------------------------------

    @Override
    public void processElement1(RowChange<PaymentRow> change, Context ctx, Collector<RequeryCommand> out)
            throws Exception {
        PaymentWatch w = watch.value();
        if (w != null && change.version <= w.version) {
            // A replay (restore, CDC re-read) or a row older than one already applied: nothing new.
            metrics.replaysIgnored.inc();
            return;
        }
        if (change.isDelete()) {
            // The row is gone: nothing left to watch or match against.
            if (w != null && w.isRequerying()) {
                timers.endSchedule(w, ctx);
            }
            watch.clear();
            if (w != null && w.isAwaitingRow() && w.unknownPaymentAlerted) {
                notifications.forgetAwaiting(); // alerted already: one alert per notification
            } else {
                notifications.rejectAwaiting(ctx, "payment row was deleted");
            }
            return;
        }
        List<PaymentNotification> waiting = List.of();
        if (w == null) {
            w = new PaymentWatch();
        } else if (w.isAwaitingRow()) {
            // Notifications were waiting for this row: their wait timer is no longer needed.
            ctx.timerService().deleteProcessingTimeTimer(w.rowWaitEndsAt());
            waiting = notifications.drainAwaiting();
        }
        applyRow(w, change, ctx);
        for (PaymentNotification n : waiting) {
            notifications.onNotification(watch.value(), n, ctx);
        }
    }

    private void applyRow(PaymentWatch w, RowChange<PaymentRow> change, Context ctx) throws Exception {
        PaymentRow row = change.after;
        boolean entersPaying = row.status == PaymentStatus.PAYING && w.status != PaymentStatus.PAYING;
        boolean staysRequerying = w.isRequerying() && row.status == PaymentStatus.PAYING;
        if (w.isRequerying() && !staysRequerying) {
            timers.endSchedule(w, ctx); // leaving PAYING: the running schedule ends here, whatever comes next
        }
        w.version = change.version;
        w.status = row.status;
        w.orderId = row.orderId;
        w.channel = row.channel;
        w.amountCents = row.amountCents;
        if (entersPaying) {
            timers.startSchedule(w, row.updatedAtMs, ctx);
        } else if (staysRequerying) {
            watch.update(w); // still PAYING, another column changed: the schedule goes on
        } else {
            // Not paying (yet, any more, or after an alert): remember the row to match
            // notifications and absorb replays, then forget it.
            timers.remember(w, ctx);
        }
    }

    // --- verified notifications -------------------------------------------------------------------

    @Override
    public void processElement2(PaymentNotification n, Context ctx, Collector<RequeryCommand> out) throws Exception {
        PaymentWatch w = watch.value();
        if (w == null) {
            // The row has not arrived (CDC may lag the channel): wait a bounded time for it.
            w = PaymentWatch.awaitingRow(ctx.timerService().currentProcessingTime() + rowWaitMs);
            watch.update(w);
            ctx.timerService().registerProcessingTimeTimer(w.rowWaitEndsAt());
        }
        if (w.isAwaitingRow()) {
            notifications.awaitRow(n);
            return;
        }
        notifications.onNotification(w, n, ctx);
    }

    // --- timers -------------------------------------------------------------------------------------

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RequeryCommand> out) throws Exception {
        PaymentWatch w = watch.value();
        if (w == null) {
            return;
        }
        switch (w.phase()) {
            case AWAITING_ROW -> timers.onRowWaitTimer(w, timestamp, ctx);
            case REQUERYING -> timers.onScheduleTimer(w, timestamp, ctx, out);
            case REMEMBERED -> timers.onForgetTimer(w, timestamp, ctx);
        }
    }
}
