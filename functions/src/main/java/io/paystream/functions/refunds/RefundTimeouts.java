package io.paystream.functions.refunds;

import io.paystream.functions.RestoreGrace;
import io.paystream.functions.SafetyTtl;
import io.paystream.functions.payments.Schedule;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundOutcome;
import io.paystream.state.refunds.RefundPhase;
import io.paystream.state.refunds.RefundRequeryCommand;
import io.paystream.state.refunds.RefundWatch;
import io.paystream.state.shop.RefundRow;
import io.paystream.state.shop.RefundRowStatus;
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
 * One truth per refund, keyed by refund id, as {@code PaymentTimeouts} is per payment: its row from
 * CDC ({@code refunds}), its verified notifications (callbacks and query answers), its re-query
 * schedule and what was already published about it. Each refund is in one {@link RefundPhase}:
 * AWAITING_ROW (notifications came first), REQUERYING (REFUNDING, refund re-query commands at the
 * schedule's offsets from its own REFUNDING time, then {@code LOST_REFUND} once the last answer is
 * overdue), REMEMBERED (kept {@code rememberFor} after its last change to match and deduplicate
 * notifications, then cleared). Any outcome ends the schedule; a verified notification that matches
 * the row (same channel, same payment, amount not above the refund's) and is a new fact is published
 * once on {@link #OUTCOMES}.
 *
 * <p>Deadlines are processing-time timers computed from the row's timestamp, as for payments: they
 * fire in a quiet night, and after a restore the overdue ones fire once {@code timeouts.restore-grace}
 * has let the replayed input in ({@link io.paystream.functions.RestoreGrace}). The binlog version of
 * each row makes replays and stale rows harmless, and is part of every command id. The schedule
 * and its timers ({@link RefundTimers}) and the notification checks ({@link RefundNotifications})
 * are in classes of their own.
 */
public class RefundTimeouts
        extends KeyedCoProcessFunction<String, RowChange<RefundRow>, RefundNotification, RefundRequeryCommand>
        implements CheckpointedFunction {
    /** Name of a keyed state, also for a savepoint report. */
    public static final String WATCH_STATE = "refund-watch";
    /** Name of a keyed state, also for a savepoint report. */
    public static final String AWAITING_ROW_STATE = "refund-awaiting-row";

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Alert> ALERTS = new OutputTag<>("refund-alerts", TypeInformation.of(Alert.class));
    public static final OutputTag<RefundOutcome> OUTCOMES =
            new OutputTag<>("refund-outcomes", TypeInformation.of(RefundOutcome.class));

    final Schedule requerySchedule;
    final long answerTimeoutMs;
    final long rememberForMs;
    final long rowWaitMs;
    final long restoreGraceMs;
    private final Duration safetyTtl;

    transient ValueState<RefundWatch> watch;
    transient RefundMetrics metrics;
    transient RefundNotifications notifications;
    transient RefundTimers timers;
    /** Whether this run started from a checkpoint or savepoint (Flink says so in initializeState). */
    private transient boolean restored;
    /** Holds due deadlines for {@code timeouts.restore-grace} after a restore; made at each open. */
    transient RestoreGrace restoreGrace;

    RefundTimeouts(RefundTimeoutsBuilder b) {
        this.requerySchedule = b.schedule;
        this.answerTimeoutMs = b.answerTimeout.toMillis();
        this.rememberForMs = b.rememberFor.toMillis();
        this.rowWaitMs = b.rowWait.toMillis();
        this.restoreGraceMs = b.restoreGrace.toMillis();
        this.safetyTtl = b.safetyTtl;
    }

    /** Options with the settings' defaults; {@code build()} checks them, naming each bad setting. */
    public static RefundTimeoutsBuilder builder() {
        return new RefundTimeoutsBuilder();
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
        // A safety net only: every path clears the state itself when the refund is done.
        StateTtlConfig ttl = SafetyTtl.of(safetyTtl);
        ValueStateDescriptor<RefundWatch> w = new ValueStateDescriptor<>(WATCH_STATE, RefundWatch.class);
        w.enableTimeToLive(ttl);
        watch = getRuntimeContext().getState(w);
        ListStateDescriptor<RefundNotification> p =
                new ListStateDescriptor<>(AWAITING_ROW_STATE, RefundNotification.class);
        p.enableTimeToLive(ttl);
        metrics = new RefundMetrics(getRuntimeContext().getMetricGroup());
        notifications = new RefundNotifications(this, getRuntimeContext().getListState(p));
        timers = new RefundTimers(this);
        restoreGrace = RestoreGrace.opening(getRuntimeContext(), restored, restoreGraceMs);
    }

    // --- the refund row -------------------------------------------------------------------------

    @Override
    public void processElement1(RowChange<RefundRow> change, Context ctx, Collector<RefundRequeryCommand> out)
            throws Exception {
        RefundWatch w = watch.value();
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
            if (w != null && w.isAwaitingRow() && w.unknownRefundAlerted) {
                notifications.forgetAwaiting(); // alerted already: one alert per notification
            } else {
                notifications.rejectAwaiting(ctx, "refund row was deleted");
            }
            return;
        }
        List<RefundNotification> waiting = List.of();
        if (w == null) {
            w = new RefundWatch();
        } else if (w.isAwaitingRow()) {
            // Notifications were waiting for this row: their wait timer is no longer needed.
            ctx.timerService().deleteProcessingTimeTimer(w.rowWaitEndsAt());
            waiting = notifications.drainAwaiting();
        }
        applyRow(w, change, ctx);
        for (RefundNotification n : waiting) {
            notifications.onNotification(watch.value(), n, ctx);
        }
    }

    private void applyRow(RefundWatch w, RowChange<RefundRow> change, Context ctx) throws Exception {
        RefundRow row = change.after;
        boolean entersRefunding = row.status == RefundRowStatus.REFUNDING
                && w.status != RefundRowStatus.REFUNDING
                && !RefundOutcomes.isFinal(w.publishedOutcomes);
        boolean staysRequerying = w.isRequerying() && row.status == RefundRowStatus.REFUNDING;
        if (w.isRequerying() && !staysRequerying) {
            timers.endSchedule(w, ctx); // leaving REFUNDING: the running schedule ends here, whatever comes next
        }
        w.version = change.version;
        w.status = row.status;
        w.paymentId = row.paymentId;
        w.orderId = row.orderId;
        w.channel = row.channel;
        w.amountCents = row.amountCents;
        w.channelRefundId = row.channelRefundId;
        if (entersRefunding) {
            timers.startSchedule(w, change.version, row.updatedAtMs, ctx);
        } else if (staysRequerying) {
            watch.update(
                    w); // still REFUNDING, another column changed (e.g. the channel's refund id): the schedule goes on
        } else {
            // Not refunding (yet, any more, after an alert), or a REFUNDING row that arrives after the
            // refund's SUCCESS or CLOSED was published (CDC lagged the channel: the refund is over).
            // Remember the row to match notifications and absorb replays, then forget it.
            timers.remember(w, ctx);
        }
    }

    // --- verified notifications -------------------------------------------------------------------

    @Override
    public void processElement2(RefundNotification n, Context ctx, Collector<RefundRequeryCommand> out)
            throws Exception {
        RefundWatch w = watch.value();
        if (w == null) {
            // The row has not arrived (CDC may lag the channel): wait a bounded time for it.
            w = RefundWatch.awaitingRow(ctx.timerService().currentProcessingTime() + rowWaitMs);
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
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RefundRequeryCommand> out) throws Exception {
        RefundWatch w = watch.value();
        if (w == null) {
            return; // a timer of a refund already forgotten (a deleted row's)
        }
        switch (w.phase) {
            case AWAITING_ROW -> timers.onRowWaitTimer(w, timestamp, ctx);
            case REQUERYING -> timers.onScheduleTimer(w, timestamp, ctx, out);
            case REMEMBERED -> timers.onForgetTimer(w, timestamp, ctx);
        }
    }
}
