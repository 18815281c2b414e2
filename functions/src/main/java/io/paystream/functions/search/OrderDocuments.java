package io.paystream.functions.search;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.search.OrderDocument;
import io.paystream.state.search.OrderDocumentState;
import io.paystream.state.search.OrderDocumentWrite;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The order-search join, keyed by order id: keeps each order's row, items and payments as the
 * binlog left them, and emits the order's whole document after every change, versioned by the
 * newest binlog version merged. No read-back from MySQL, so nothing newer than the binlog position
 * being applied can leak in, and a child that arrives before its order is kept, not lost.
 *
 * <p>The document is a function of the rows alone and its version is the maximum of theirs, so the
 * arrival order of the three tables' changes does not change the last document written. Within
 * one row, changes arrive in binlog order: the pipeline reads the binlog with one reader and
 * keeps each table's stream in order per key.
 *
 * <p>No document exists without its order row: children that arrive first wait (up to
 * {@code orphanRetention}). A deleted order emits a versioned delete and keeps a tombstone for
 * {@code deletedRetention}, during which older order rows are ignored and late children do not
 * resurrect it; then every row of the order is forgotten.
 */
public class OrderDocuments extends KeyedProcessFunction<Long, ShopChange, OrderDocumentWrite> {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String ORDER_STATE = "order";
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String ITEMS_STATE = "items";

    private static final long serialVersionUID = 1L;

    private final long deletedRetentionMs;
    private final long orphanRetentionMs;

    private transient ValueState<OrderDocumentState> head;
    private transient MapState<Long, OrderItemRow> items;
    private transient MapState<String, PaymentRow> payments;
    private transient Counter documentsEmitted;
    private transient Counter deletesEmitted;
    private transient Counter rowsBeforeOrder;
    private transient Counter orphansDropped;
    private transient Counter replaysIgnored;

    public OrderDocuments(Duration deletedRetention, Duration orphanRetention) {
        if (deletedRetention.isNegative()
                || deletedRetention.isZero()
                || orphanRetention.isNegative()
                || orphanRetention.isZero()) {
            throw new IllegalArgumentException("retention periods must be positive");
        }
        this.deletedRetentionMs = deletedRetention.toMillis();
        this.orphanRetentionMs = orphanRetention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        // No TTL, not even as a safety net: this state is the mirror the documents are rebuilt
        // from, and an order may change (a refund, a late payment) long after it was placed.
        // Every key is cleared by a path below: after its deletion's tombstone, or as orphans.
        head = getRuntimeContext().getState(new ValueStateDescriptor<>(ORDER_STATE, OrderDocumentState.class));
        items = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(ITEMS_STATE, Types.LONG, TypeInformation.of(OrderItemRow.class)));
        payments = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("payments", Types.STRING, TypeInformation.of(PaymentRow.class)));
        var metrics = getRuntimeContext().getMetricGroup();
        documentsEmitted = metrics.counter("documentsEmitted");
        deletesEmitted = metrics.counter("deletesEmitted");
        rowsBeforeOrder = metrics.counter("rowsBeforeOrder");
        orphansDropped = metrics.counter("orphansDropped");
        replaysIgnored = metrics.counter("replaysIgnored");
    }

    @Override
    public void processElement(ShopChange change, Context ctx, Collector<OrderDocumentWrite> out) throws Exception {
        OrderDocumentState s = head.value();
        boolean fresh = s == null;
        if (fresh) {
            s = new OrderDocumentState();
        }
        long changedAt;
        if (change.order != null) {
            changedAt = applyOrder(s, change.order);
        } else if (change.item != null) {
            changedAt = applyItem(fresh, change.item);
        } else {
            changedAt = applyPayment(fresh, change.payment);
        }
        if (changedAt < 0) {
            return;
        }
        s.version = Math.max(s.version, versionOf(change));
        s.lastChangeAt = Math.max(s.lastChangeAt, changedAt);
        emit(s, change.order != null, changedAt, ctx, out);
        head.update(s);
    }

    /** The order row applied; its change time, or -1 when it is a replay or older than the one applied. */
    private long applyOrder(OrderDocumentState s, RowChange<OrderRow> c) {
        if (c.version <= s.orderVersion) {
            // A replay, or an order row older than the one applied (or than its deletion).
            replaysIgnored.inc();
            return -1;
        }
        s.orderVersion = c.version;
        s.deleted = c.isDelete();
        s.order = c.after;
        return Math.max(c.sourceTsMs, c.row().updatedAtMs);
    }

    /** An item applied; its change time, or -1 for a late deletion of a child of a forgotten (or never seen) order. */
    private long applyItem(boolean fresh, RowChange<OrderItemRow> c) throws Exception {
        if (fresh && c.isDelete()) {
            return -1; // nothing to keep
        }
        if (c.isDelete()) {
            items.remove(c.before.itemId);
        } else {
            items.put(c.after.itemId, c.after);
        }
        return c.sourceTsMs;
    }

    /** A payment applied; its change time, or -1 as for items. */
    private long applyPayment(boolean fresh, RowChange<PaymentRow> c) throws Exception {
        if (fresh && c.isDelete()) {
            return -1;
        }
        if (c.isDelete()) {
            payments.remove(c.before.paymentId);
        } else {
            payments.put(c.after.paymentId, c.after);
        }
        return Math.max(c.sourceTsMs, c.row().updatedAtMs);
    }

    private static long versionOf(ShopChange change) {
        return change.order != null
                ? change.order.version
                : change.item != null ? change.item.version : change.payment.version;
    }

    /** After a change: the document, its deletion, or (children before their order) nothing yet. */
    private void emit(
            OrderDocumentState s, boolean orderChanged, long changedAt, Context ctx, Collector<OrderDocumentWrite> out)
            throws Exception {
        long orderId = ctx.getCurrentKey();
        if (s.order != null) {
            // The order exists: whatever changed, its whole document at the newest version. A
            // forget timer of its orphan or tombstone days is void now.
            cancelForget(s, ctx);
            OrderDocument d = OrderDocumentBuilder.of(orderId, s, items.values(), payments.values());
            out.collect(OrderDocumentWrite.upsert(d, s.version, changedAt));
            documentsEmitted.inc();
        } else if (s.deleted) {
            if (orderChanged) {
                // The order itself was deleted: delete its document, at a version above every
                // write before it. Children arriving during the tombstone are kept silently.
                out.collect(OrderDocumentWrite.delete(orderId, s.version, changedAt));
                deletesEmitted.inc();
                forgetAt(s, ctx, deletedRetentionMs);
            }
        } else {
            // Children before their order: keep them until it arrives.
            rowsBeforeOrder.inc();
            if (s.forgetAt == 0) {
                forgetAt(s, ctx, orphanRetentionMs);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OrderDocumentWrite> out) throws Exception {
        OrderDocumentState s = head.value();
        if (s == null || s.forgetAt != timestamp || s.order != null) {
            return; // not the current forget time: superseded by a later change
        }
        if (!s.deleted) {
            // The order never came: the waiting children go (counted, so it shows).
            orphansDropped.inc();
        }
        head.clear();
        items.clear();
        payments.clear();
    }

    private void forgetAt(OrderDocumentState s, Context ctx, long afterMs) {
        cancelForget(s, ctx);
        s.forgetAt = ctx.timerService().currentProcessingTime() + afterMs;
        ctx.timerService().registerProcessingTimeTimer(s.forgetAt);
    }

    private static void cancelForget(OrderDocumentState s, Context ctx) {
        if (s.forgetAt != 0) {
            ctx.timerService().deleteProcessingTimeTimer(s.forgetAt);
            s.forgetAt = 0;
        }
    }
}
