package io.paystream.functions.stock;

import io.paystream.functions.SafetyTtl;
import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.stock.StockTypes;
import io.paystream.state.stock.SubmitKey;
import io.paystream.state.stock.SubmitMark;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Duplicate order submissions, keyed by {@code submit_hash} (user, items, amount and address):
 * an order created within {@code window} of an earlier one with the same hash is a duplicate. It
 * gets {@code DUPLICATE_SUBMISSION} and {@code CANCEL_DUPLICATE}; the earliest order is kept. The
 * kept order is also published as Redis {@code order:submit:{hash}}, expiring when its window
 * ends, so the shop's front end can refuse a repeat before it reaches the database.
 *
 * <p>Only inserted (or snapshot) order rows count: a later status change of an order is not a
 * submission. Orders already older than the window when seen (an old snapshot) are not judged.
 * Windows run on the orders' own {@code created_at}, so an earlier order that arrives later still
 * wins, and the result does not depend on arrival order.
 */
public class DuplicateSubmissions extends KeyedProcessFunction<String, RowChange<OrderRow>, SubmitKey> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;

    private transient ValueState<SubmitMark> first;
    private transient Counter duplicates;

    public DuplicateSubmissions(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the dedup window must be positive, got " + window);
        }
        this.windowMs = window.toMillis();
    }

    /** Only new orders with a hash are submissions (the job filters with this before keying). */
    public static boolean isSubmission(RowChange<OrderRow> c) {
        return (c.op == ChangeOp.CREATE || c.op == ChangeOp.READ) && c.after != null && c.after.submitHash != null;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<SubmitMark> d = new ValueStateDescriptor<>("first-submission", StockTypes.SUBMIT_MARK);
        // Safety net only: the window's timer clears it.
        SafetyTtl.enable(Duration.ofMillis(windowMs * 3), d);
        first = getRuntimeContext().getState(d);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateSubmissions");
    }

    @Override
    public void processElement(RowChange<OrderRow> change, Context ctx, Collector<SubmitKey> out) throws Exception {
        OrderRow row = change.after;
        long now = ctx.timerService().currentProcessingTime();
        if (row.createdAtMs + windowMs <= now) {
            return; // its window is over: too old to judge, nothing left to refuse
        }
        SubmitMark mark = first.value();
        if (mark == null || mark.createdAtMs + windowMs <= row.createdAtMs) {
            // The first submission, or the earlier one's window ended before this one: a fresh window.
            keep(new SubmitMark(row.orderId, row.createdAtMs), ctx, out, mark);
            return;
        }
        if (mark.orderId == row.orderId) {
            return; // the kept order's row again (a replay)
        }
        boolean rowIsEarlier = row.createdAtMs < mark.createdAtMs
                || (row.createdAtMs == mark.createdAtMs && row.orderId < mark.orderId);
        if (rowIsEarlier) {
            // The earlier order arrived later: it is the one kept; the one kept so far is the duplicate.
            keep(new SubmitMark(row.orderId, row.createdAtMs), ctx, out, mark);
            flag(ctx.getCurrentKey(), mark.orderId, row.orderId, row.userId, row.totalAmountCents, true, ctx, now);
        } else {
            flag(
                    ctx.getCurrentKey(),
                    row.orderId,
                    mark.orderId,
                    row.userId,
                    row.totalAmountCents,
                    row.status == OrderStatus.CREATED,
                    ctx,
                    now);
        }
    }

    private void keep(SubmitMark mark, Context ctx, Collector<SubmitKey> out, SubmitMark replaced) throws Exception {
        if (replaced != null) {
            ctx.timerService().deleteProcessingTimeTimer(replaced.createdAtMs + windowMs);
        }
        first.update(mark);
        ctx.timerService().registerProcessingTimeTimer(mark.createdAtMs + windowMs);
        out.collect(new SubmitKey(ctx.getCurrentKey(), mark.orderId, mark.createdAtMs + windowMs));
    }

    private void flag(
            String hash,
            long duplicate,
            long kept,
            long userId,
            long amountCents,
            boolean cancel,
            Context ctx,
            long now) {
        Alert a = new Alert();
        a.type = Alert.DUPLICATE_SUBMISSION;
        a.alertId = a.type + ":" + duplicate;
        a.orderId = duplicate;
        a.userId = userId;
        a.amount = Money.yuan(amountCents);
        a.reason = "order " + duplicate + " repeats order " + kept + " (same submit_hash " + hash + ") within "
                + windowMs / 1000 + " s";
        a.raisedAt = now;
        ctx.output(StockOutputs.ALERTS, a);
        if (cancel) {
            // Only an order that was still CREATED when seen; the order system cancels it only if it still is.
            ctx.output(
                    StockOutputs.COMMANDS,
                    StockOutputs.cancel(
                            OrderCommand.CANCEL_DUPLICATE,
                            OrderCommand.CANCEL_DUPLICATE + ":" + duplicate,
                            duplicate,
                            a.reason,
                            now));
        }
        duplicates.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SubmitKey> out) throws Exception {
        SubmitMark mark = first.value();
        if (mark != null && timestamp >= mark.createdAtMs + windowMs) {
            first.clear(); // the window is over (Redis expires its key at the same instant)
        }
    }
}
