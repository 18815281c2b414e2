package io.paystream.functions.payments;

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
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Internal loss, per order: the payment center marked a payment of the order SUCCESS, but the
 * business order did not turn PAID. After {@code timeout} it re-notifies the business
 * ({@code RENOTIFY_BUSINESS}, carrying what it needs to apply the payment), retries on its
 * schedule, then raises {@code LOST_PAYMENT_INTERNAL}. The order turning PAID ends it.
 *
 * <p>Keyed by order id: the order's status is the business side's truth, and both the order rows
 * and the payment rows carry the order id, so no lookup or fan-out is needed.
 */
public class OrderPaidTimeouts
        extends KeyedCoProcessFunction<Long, RowChange<OrderRow>, RowChange<PaymentRow>, OrderCommand> {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String WATCH_STATE = "order-payment-watch";
    /** Side output: {@code LOST_PAYMENT_INTERNAL} alerts. */
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("order-paid-alerts", TypeInformation.of(Alert.class));

    private static final long serialVersionUID = 1L;

    private final long timeoutMs;
    private final Schedule retryGaps;
    private final long giveUpAfterMs;
    private final long settledRetentionMs;
    private final Duration safetyTtl;

    private transient ValueState<OrderPaymentWatch> watch;
    private transient Counter renotifiesSent;
    private transient Counter lostInternal;
    private transient Counter recoveredAfterRenotify;
    private transient Counter started;
    private transient Counter ended;

    public OrderPaidTimeouts(
            Duration timeout, Schedule retryGaps, Duration giveUpAfter, Duration settledRetention, Duration safetyTtl) {
        this.timeoutMs = timeout.toMillis();
        this.retryGaps = retryGaps;
        this.giveUpAfterMs = giveUpAfter.toMillis();
        this.settledRetentionMs = settledRetention.toMillis();
        this.safetyTtl = safetyTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<OrderPaymentWatch> d = new ValueStateDescriptor<>(WATCH_STATE, OrderPaymentWatch.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(safetyTtl)
                .cleanupInRocksdbCompactFilter(10_000)
                .build());
        watch = getRuntimeContext().getState(d);
        var metrics = getRuntimeContext().getMetricGroup();
        renotifiesSent = metrics.counter("renotifiesSent");
        lostInternal = metrics.counter("lostPaymentsInternal");
        recoveredAfterRenotify = metrics.counter("recoveredAfterRenotify");
        started = metrics.counter("unpaidSuccessesWatched");
        ended = metrics.counter("unpaidSuccessesEnded");
        metrics.gauge("openInternalWatches", () -> started.getCount() - ended.getCount());
    }

    @Override
    public void processElement1(RowChange<OrderRow> change, Context ctx, Collector<OrderCommand> out) throws Exception {
        OrderPaymentWatch w = watch.value();
        if (w != null && change.version <= w.orderVersion) {
            return; // a replayed or older order row
        }
        if (change.isDelete()) {
            stop(w, ctx);
            watch.clear();
            return;
        }
        OrderStatus status = change.after.status;
        if (status == OrderStatus.PAID) {
            // The business applied the payment: nothing more to do. A short marker absorbs a
            // payment row that arrives late or is replayed.
            if (w == null) {
                w = new OrderPaymentWatch();
            } else if (isWatching(w)) {
                if (w.nextAttempt > 1) {
                    recoveredAfterRenotify.inc();
                }
                stop(w, ctx);
            }
            w.orderStatus = status;
            w.orderVersion = change.version;
            keepAsMarker(w, ctx);
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
            stop(w, ctx);
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
        if (w == null) {
            w = new OrderPaymentWatch();
        }
        w.paymentId = row.paymentId;
        w.channel = row.channel;
        w.channelTxnId = row.channelTxnId;
        w.amountCents = row.amountCents;
        w.successAt = row.updatedAtMs;
        w.paymentVersion = change.version;
        w.nextAttempt = 1;
        w.lastActionAt = 0;
        watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(deadline(w));
        started.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OrderCommand> out) throws Exception {
        OrderPaymentWatch w = watch.value();
        if (w == null) {
            return;
        }
        if (isWatching(w)) {
            onRenotifyTimer(w, timestamp, ctx, out);
        } else if (timestamp >= w.lastActionAt + settledRetentionMs) {
            watch.clear(); // a marker (PAID, or alerted): its retention is over
        }
    }

    /** Watching: the next re-notification, or the alert after the last one. */
    private void onRenotifyTimer(OrderPaymentWatch w, long timestamp, OnTimerContext ctx, Collector<OrderCommand> out)
            throws Exception {
        long due = deadline(w);
        if (timestamp < due) {
            // A timer of an earlier schedule, or of the schedule before an upgrade that lengthened
            // it: the current deadline must have its timer (the same time twice is one timer).
            ctx.timerService().registerProcessingTimeTimer(due);
        } else if (w.nextAttempt <= maxAttempts()) {
            // Due (a timer later than the deadline: an upgrade shortened the schedule, it is overdue).
            renotify(w, ctx, out);
        } else {
            alertLost(w, ctx);
        }
    }

    private void renotify(OrderPaymentWatch w, OnTimerContext ctx, Collector<OrderCommand> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        out.collect(PaymentMessages.renotify(ctx.getCurrentKey(), w, maxAttempts(), now));
        renotifiesSent.inc();
        w.nextAttempt++;
        w.lastActionAt = now;
        watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(deadline(w));
    }

    private void alertLost(OrderPaymentWatch w, OnTimerContext ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        ctx.output(ALERTS, PaymentMessages.lostInternal(ctx.getCurrentKey(), w, maxAttempts(), now));
        lostInternal.inc();
        ended.inc();
        keepAsMarker(w, ctx);
    }

    private int maxAttempts() {
        return 1 + retryGaps.size();
    }

    private static boolean isWatching(OrderPaymentWatch w) {
        return w.paymentId != null && w.nextAttempt > 0;
    }

    private long deadline(OrderPaymentWatch w) {
        if (w.nextAttempt == 1) {
            return w.successAt + timeoutMs;
        }
        if (w.nextAttempt <= maxAttempts()) {
            return w.lastActionAt + retryGaps.offset(w.nextAttempt - 1);
        }
        return w.lastActionAt + giveUpAfterMs;
    }

    private void stop(OrderPaymentWatch w, Context ctx) {
        if (w != null && isWatching(w)) {
            ctx.timerService().deleteProcessingTimeTimer(deadline(w));
            ended.inc();
            w.nextAttempt = 0;
        }
    }

    private void keepAsMarker(OrderPaymentWatch w, Context ctx) throws Exception {
        w.nextAttempt = 0;
        w.lastActionAt = ctx.timerService().currentProcessingTime();
        watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(w.lastActionAt + settledRetentionMs);
    }
}
