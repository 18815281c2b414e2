package io.paystream.functions.payments;

import io.paystream.functions.RestoreGrace;
import io.paystream.functions.SafetyTtl;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.payments.OrderPaymentWatch;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
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
 * Internal loss, per order: the payment center marked a payment of the order SUCCESS, but the
 * business order did not turn PAID. After {@code timeout} it re-notifies the business
 * ({@code RENOTIFY_BUSINESS}, carrying what it needs to apply the payment), retries on its
 * schedule, then raises {@code LOST_PAYMENT_INTERNAL}. The order turning PAID ends it. Each
 * order is in one {@link io.paystream.state.payments.OrderPaymentPhase}: RENOTIFYING, then
 * REMEMBERED as a marker for {@code settledRetention}.
 *
 * <p>Keyed by order id: the order's status is the business side's truth, and both the order rows
 * and the payment rows carry the order id, so no lookup or fan-out is needed.
 */
public class OrderPaidTimeouts
        extends KeyedCoProcessFunction<Long, RowChange<OrderRow>, RowChange<PaymentRow>, OrderCommand>
        implements CheckpointedFunction {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String WATCH_STATE = "order-payment-watch";
    /** Side output: {@code LOST_PAYMENT_INTERNAL} alerts. */
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("order-paid-alerts", TypeInformation.of(Alert.class));

    private static final long serialVersionUID = 1L;

    final long timeoutMs;
    final Schedule retryGaps;
    final long giveUpAfterMs;
    final long settledRetentionMs;
    final long restoreGraceMs;
    private final Duration safetyTtl;

    transient ValueState<OrderPaymentWatch> watch;
    private transient RenotifySchedule schedule;
    /** Whether this run started from a checkpoint or savepoint (Flink says so in initializeState). */
    private transient boolean restored;
    /** Holds due deadlines for {@code timeouts.restore-grace} after a restore; made at each open. */
    transient RestoreGrace restoreGrace;

    OrderPaidTimeouts(OrderPaidTimeoutsBuilder b) {
        this.timeoutMs = b.timeout.toMillis();
        this.retryGaps = b.gaps;
        this.giveUpAfterMs = b.giveUpAfter.toMillis();
        this.settledRetentionMs = b.rememberFor.toMillis();
        this.restoreGraceMs = b.restoreGrace.toMillis();
        this.safetyTtl = b.safetyTtl;
    }

    /** Options with the settings' defaults; {@code build()} checks them, naming each bad setting. */
    public static OrderPaidTimeoutsBuilder builder() {
        return new OrderPaidTimeoutsBuilder();
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
        ValueStateDescriptor<OrderPaymentWatch> d = new ValueStateDescriptor<>(WATCH_STATE, OrderPaymentWatch.class);
        SafetyTtl.enable(safetyTtl, d);
        watch = getRuntimeContext().getState(d);
        schedule = new RenotifySchedule(this, getRuntimeContext().getMetricGroup());
        restoreGrace = RestoreGrace.opening(getRuntimeContext(), restored, restoreGraceMs);
    }

    @Override
    public void processElement1(RowChange<OrderRow> change, Context ctx, Collector<OrderCommand> out) throws Exception {
        OrderPaymentWatch w = watch.value();
        if (w != null && change.version <= w.orderVersion) {
            return; // a replayed or older order row
        }
        if (change.isDelete()) {
            schedule.stop(w, ctx);
            watch.clear();
            return;
        }
        OrderStatus status = change.after.status;
        if (status == OrderStatus.PAID) {
            // The business applied the payment: nothing more to do. A short marker absorbs a
            // payment row that arrives late or is replayed.
            if (w == null) {
                w = new OrderPaymentWatch();
            } else {
                schedule.stopOnPaid(w, ctx);
            }
            w.orderStatus = status;
            w.orderVersion = change.version;
            schedule.remember(w, ctx);
        } else if (w != null) {
            // Not PAID (yet): remember it; a running schedule goes on.
            w.orderStatus = status;
            w.orderVersion = change.version;
            watch.update(w);
        }
        // No state for an order that is neither PAID nor has a successful payment.
    }

    @Override
    public void processElement2(RowChange<PaymentRow> change, Context ctx, Collector<OrderCommand> out)
            throws Exception {
        OrderPaymentWatch w = watch.value();
        PaymentRow row = change.row();
        boolean tracked = w != null && row.paymentId.equals(w.paymentId);
        if (tracked && change.version <= w.paymentVersion) {
            return; // a replayed or older row of the tracked payment
        }
        if (tracked && (change.isDelete() || row.status != PaymentStatus.SUCCESS)) {
            // The tracked payment is no longer a success (deleted, reversed): nothing to re-notify.
            schedule.stop(w, ctx);
            watch.clear();
            return;
        }
        if (change.isDelete() || row.status != PaymentStatus.SUCCESS) {
            return; // only successful payments matter here
        }
        if (w != null && (w.orderStatus == OrderStatus.PAID || w.paymentId != null)) {
            // The order is PAID already, or one successful payment is tracked already (a second
            // success of the same order is a double payment: the callback checks own that).
            if (tracked) {
                w.paymentVersion = change.version;
                watch.update(w);
            }
            return;
        }
        schedule.start(w == null ? new OrderPaymentWatch() : w, row, change.version, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OrderCommand> out) throws Exception {
        OrderPaymentWatch w = watch.value();
        if (w == null) {
            return;
        }
        switch (w.phase()) {
            case RENOTIFYING -> schedule.onRenotifyTimer(w, timestamp, ctx, out);
            case REMEMBERED -> schedule.onForgetTimer(w, timestamp, ctx);
        }
    }
}
