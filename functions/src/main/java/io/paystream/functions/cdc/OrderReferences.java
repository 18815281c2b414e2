package io.paystream.functions.cdc;

import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.OrderReference;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Gives items and payments that name their order by its number (a payment center's "merchant
 * order no") the order's id, keyed by that number: an order row teaches the number's id; a row
 * naming a known number leaves at once with the id filled in; a row naming an unknown number waits
 * in state, in arrival order, until the order's row comes (a payment center on another server can
 * be read ahead of the order system). Resolved rows leave on {@link ShopChangeSplitter#ORDER_ITEMS}
 * and {@link ShopChangeSplitter#PAYMENTS}, as the split would have sent them; rows whose order never
 * comes within the wait leave as dead letters. A number is forgotten after the retention with no
 * newer order row.
 */
public class OrderReferences extends KeyedCoProcessFunction<String, RowChange<OrderRow>, ShopChange, DeadLetter> {
    private static final long serialVersionUID = 1L;

    public static final String REFERENCE_STATE = "order-reference";
    public static final String WAITING_STATE = "rows-waiting-for-order";

    private final long waitMs;
    private final long retentionMs;
    private final String jobName;

    private transient ValueState<OrderReference> reference;
    private transient ListState<ShopChange> waiting;
    /** Processing time of the first call after (re)start; -1 before it. */
    private transient long startedAt;

    private transient Counter resolvedLate;
    private transient Counter unresolved;

    /**
     * @param wait how long a row naming an unknown order number waits for the order's row
     * @param retention how long a number is kept after its order's last row
     */
    public OrderReferences(Duration wait, Duration retention, String jobName) {
        if (wait.isNegative() || wait.isZero() || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("order-number wait and retention must be positive");
        }
        this.waitMs = wait.toMillis();
        this.retentionMs = retention.toMillis();
        this.jobName = jobName;
    }

    @Override
    public void open(OpenContext openContext) {
        reference = getRuntimeContext().getState(new ValueStateDescriptor<>(REFERENCE_STATE, OrderReference.class));
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>(WAITING_STATE, ShopTypes.SHOP_CHANGE));
        startedAt = -1;
        resolvedLate = getRuntimeContext().getMetricGroup().counter("rowsResolvedAfterWaiting");
        unresolved = getRuntimeContext().getMetricGroup().counter("rowsWithUnknownOrderNumber");
    }

    /** An order row: its number now means its id; rows that waited for it leave in their order. */
    @Override
    public void processElement1(RowChange<OrderRow> order, Context ctx, Collector<DeadLetter> out) throws Exception {
        noteStart(ctx);
        OrderReference ref = reference.value();
        if (ref == null) {
            ref = new OrderReference();
        }
        if (ref.phase == OrderReference.Phase.WAITING_FOR_ORDER) {
            for (ShopChange c : waiting.get()) {
                emit(c, order.row().orderId, ctx);
                resolvedLate.inc();
            }
            waiting.clear();
        }
        ref.phase = OrderReference.Phase.KNOWN;
        ref.orderId = order.row().orderId;
        // Known numbers are kept for the retention after the order's last row (a refund or a late
        // payment row still finds its order), then forgotten.
        rearm(ref, ctx.timerService().currentProcessingTime() + retentionMs, ctx);
        reference.update(ref);
    }

    /** An item or payment naming its order by number. */
    @Override
    public void processElement2(ShopChange child, Context ctx, Collector<DeadLetter> out) throws Exception {
        noteStart(ctx);
        OrderReference ref = reference.value();
        if (ref != null && ref.phase == OrderReference.Phase.KNOWN) {
            emit(child, ref.orderId, ctx);
            return;
        }
        // The order's row has not been read yet: wait for it, behind any row already waiting.
        waiting.add(child);
        if (ref == null) {
            ref = new OrderReference();
            ref.phase = OrderReference.Phase.WAITING_FOR_ORDER;
            rearm(ref, ctx.timerService().currentProcessingTime() + waitMs, ctx);
            reference.update(ref);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DeadLetter> out) throws Exception {
        noteStart(ctx);
        OrderReference ref = reference.value();
        if (ref == null || ref.timerAt != timestamp) {
            return; // a timer replaced by a later one
        }
        if (ref.phase == OrderReference.Phase.KNOWN) {
            reference.clear(); // retention over: nothing references the number any more
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (now - startedAt < waitMs) {
            // Restored after downtime: the binlog replay may still bring the order's row. Every
            // waiting row gets the whole wait of running time before it is given up.
            rearm(ref, startedAt + waitMs, ctx);
            reference.update(ref);
            return;
        }
        for (ShopChange c : waiting.get()) {
            out.collect(unknownOrder(ctx.getCurrentKey(), c, now));
            unresolved.inc();
        }
        waiting.clear();
        reference.clear();
    }

    private void noteStart(Context ctx) {
        if (startedAt < 0) {
            startedAt = ctx.timerService().currentProcessingTime();
        }
    }

    private void rearm(OrderReference ref, long at, Context ctx) {
        if (ref.timerAt != 0) {
            ctx.timerService().deleteProcessingTimeTimer(ref.timerAt);
        }
        ref.timerAt = at;
        ctx.timerService().registerProcessingTimeTimer(at);
    }

    private static void emit(ShopChange c, long orderId, Context ctx) {
        if (c.item != null) {
            RowChange<OrderItemRow> item = c.item;
            if (item.before != null) item.before.orderId = orderId;
            if (item.after != null) item.after.orderId = orderId;
            ctx.output(ShopChangeSplitter.ORDER_ITEMS, item);
        } else if (c.payment != null) {
            RowChange<PaymentRow> payment = c.payment;
            if (payment.before != null) payment.before.orderId = orderId;
            if (payment.after != null) payment.after.orderId = orderId;
            ctx.output(ShopChangeSplitter.PAYMENTS, payment);
        }
    }

    private DeadLetter unknownOrder(String number, ShopChange c, long now) {
        DeadLetter dl = new DeadLetter(
                "cdc:" + (c.item != null ? "order_items" : "payments"),
                "no order with number '" + number + "' was read within " + Duration.ofMillis(waitMs)
                        + " of a row naming it",
                String.valueOf(c.item != null ? c.item : c.payment),
                now);
        dl.job = jobName;
        return dl;
    }

    /** The key: the order number an order row carries or a child row names; null when it has none. */
    public static String numberOf(ShopChange c) {
        if (c.item != null) {
            return c.item.row().orderNo;
        }
        return c.payment == null ? null : c.payment.row().orderNo;
    }
}
