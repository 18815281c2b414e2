package io.paystream.functions.search;

import io.paystream.state.cdc.BinlogVersion;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.search.OrderDocument;
import io.paystream.state.search.OrderDocumentState;
import io.paystream.state.search.OrderDocumentWrite;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
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
 *
 * <p>The initial snapshot reads the tables one after another (all orders, then all items, then
 * all payments), so writing after every row would write each order's document once per row, about
 * four times, the first three incomplete. Rows read by the snapshot therefore only update the
 * state and mark the document held; when every server the job reads has announced the end of its
 * snapshot (the broadcast input, {@link ShopChange#snapshotEndedOn}), each held document is written
 * once. A change from the binlog is written at once, as always. With no snapshot servers named
 * (a test's bounded input) nothing is held.
 */
public class OrderDocuments extends KeyedBroadcastProcessFunction<Long, ShopChange, String, OrderDocumentWrite> {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String ORDER_STATE = "order";
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String ITEMS_STATE = "items";
    /** Name of a keyed state (refund id to its row). */
    public static final String REFUNDS_STATE = "refunds";

    /** The servers whose initial snapshot ended, as announced on the broadcast input. */
    public static final MapStateDescriptor<String, Boolean> SNAPSHOT_ENDED =
            new MapStateDescriptor<>("snapshot-ended-servers", Types.STRING, Types.BOOLEAN);

    private static final long serialVersionUID = 1L;

    private final long deletedRetentionMs;
    private final long orphanRetentionMs;
    /** The MySQL servers whose snapshot must end before held documents are written. */
    private final ArrayList<String> snapshotServers;

    private transient ValueState<OrderDocumentState> head;
    private transient MapState<Long, OrderItemRow> items;
    private transient MapState<String, PaymentRow> payments;
    private transient MapState<String, RefundRow> refunds;
    private transient Counter documentsEmitted;
    private transient Counter deletesEmitted;
    private transient Counter rowsBeforeOrder;
    private transient Counter orphansDropped;
    private transient Counter replaysIgnored;
    private transient Counter documentsHeld;
    /** Every server's snapshot ended (it never starts again): nothing more is held. */
    private transient boolean snapshotsEnded;

    /** A join that holds nothing (no snapshot announcements expected: a test's bounded input). */
    public OrderDocuments(Duration deletedRetention, Duration orphanRetention) {
        this(deletedRetention, orphanRetention, List.of());
    }

    /**
     * @param snapshotServers the servers the job reads the three tables from: documents of rows
     *     read by their snapshot are held until each of them announced its snapshot's end
     */
    public OrderDocuments(Duration deletedRetention, Duration orphanRetention, Collection<String> snapshotServers) {
        if (deletedRetention.isNegative()
                || deletedRetention.isZero()
                || orphanRetention.isNegative()
                || orphanRetention.isZero()) {
            throw new IllegalArgumentException("retention periods must be positive");
        }
        this.deletedRetentionMs = deletedRetention.toMillis();
        this.orphanRetentionMs = orphanRetention.toMillis();
        this.snapshotServers = new ArrayList<>(new TreeSet<>(snapshotServers));
    }

    private static ValueStateDescriptor<OrderDocumentState> orderState() {
        return new ValueStateDescriptor<>(ORDER_STATE, OrderDocumentState.class);
    }

    @Override
    public void open(OpenContext openContext) {
        // No TTL, not even as a safety net: this state is the mirror the documents are rebuilt
        // from, and an order may change (a refund, a late payment) long after it was placed.
        // Every key is cleared by a path below: after its deletion's tombstone, or as orphans.
        head = getRuntimeContext().getState(orderState());
        items = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(ITEMS_STATE, Types.LONG, TypeInformation.of(OrderItemRow.class)));
        payments = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("payments", Types.STRING, TypeInformation.of(PaymentRow.class)));
        refunds = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>(REFUNDS_STATE, Types.STRING, TypeInformation.of(RefundRow.class)));
        var metrics = getRuntimeContext().getMetricGroup();
        documentsEmitted = metrics.counter("documentsEmitted");
        deletesEmitted = metrics.counter("deletesEmitted");
        rowsBeforeOrder = metrics.counter("rowsBeforeOrder");
        orphansDropped = metrics.counter("orphansDropped");
        replaysIgnored = metrics.counter("replaysIgnored");
        documentsHeld = metrics.counter("documentsHeldForSnapshot");
        snapshotsEnded = snapshotServers.isEmpty();
    }

    @Override
    public void processElement(ShopChange change, ReadOnlyContext ctx, Collector<OrderDocumentWrite> out)
            throws Exception {
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
        } else if (change.payment != null) {
            changedAt = applyPayment(fresh, change.payment);
        } else {
            changedAt = applyRefund(fresh, change.refund);
        }
        if (changedAt < 0) {
            return;
        }
        s.version = Math.max(s.version, versionOf(change));
        s.lastChangeAt = Math.max(s.lastChangeAt, changedAt);
        boolean hold = versionOf(change) == BinlogVersion.SNAPSHOT && !snapshotsEnded(ctx);
        emit(s, change.order != null, changedAt, hold, ctx, out);
        head.update(s);
    }

    /** Whether every snapshot server announced its end (remembered: a snapshot never starts again). */
    private boolean snapshotsEnded(ReadOnlyContext ctx) throws Exception {
        if (!snapshotsEnded) {
            var ended = ctx.getBroadcastState(SNAPSHOT_ENDED);
            boolean all = true;
            for (String server : snapshotServers) {
                all &= ended.contains(server);
            }
            snapshotsEnded = all;
        }
        return snapshotsEnded;
    }

    /**
     * A server's snapshot ended. When that was the last one, every document held for the snapshot
     * is written now, once, at the version of the newest row merged. An announcement repeated
     * (each restart of the binlog reader makes one) changes nothing.
     */
    @Override
    public void processBroadcastElement(String server, Context ctx, Collector<OrderDocumentWrite> out)
            throws Exception {
        var ended = ctx.getBroadcastState(SNAPSHOT_ENDED);
        if (ended.contains(server)) {
            return;
        }
        ended.put(server, true);
        boolean all = true;
        for (String s : snapshotServers) {
            all &= ended.contains(s);
        }
        if (!all) {
            return;
        }
        snapshotsEnded = true;
        ctx.applyToKeyedState(orderState(), (orderId, state) -> {
            OrderDocumentState s = state.value();
            if (s != null && s.heldForSnapshot) {
                // The backend's current key is this order's: its items and payments are at hand.
                s.heldForSnapshot = false;
                out.collect(OrderDocumentWrite.upsert(
                        OrderDocumentBuilder.of(orderId, s, items.values(), payments.values(), refunds.values()),
                        s.version,
                        s.lastChangeAt));
                documentsEmitted.inc();
                state.update(s);
            }
        });
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
        return applyByTextId(fresh, c, payments, r -> r.paymentId, r -> r.updatedAtMs);
    }

    /** A refund applied; its change time, or -1 as for items. */
    private long applyRefund(boolean fresh, RowChange<RefundRow> c) throws Exception {
        return applyByTextId(fresh, c, refunds, r -> r.refundId, r -> r.updatedAtMs);
    }

    /**
     * A payment or refund applied to its map by its id; its change time (the later of the binlog
     * time and the row's own {@code updated_at}), or -1 as for items.
     */
    private static <R> long applyByTextId(
            boolean fresh,
            RowChange<R> c,
            MapState<String, R> rows,
            java.util.function.Function<R, String> id,
            java.util.function.ToLongFunction<R> updatedAt)
            throws Exception {
        if (fresh && c.isDelete()) {
            return -1;
        }
        if (c.isDelete()) {
            rows.remove(id.apply(c.before));
        } else {
            rows.put(id.apply(c.after), c.after);
        }
        return Math.max(c.sourceTsMs, updatedAt.applyAsLong(c.row()));
    }

    private static long versionOf(ShopChange change) {
        return change.order != null
                ? change.order.version
                : change.item != null
                        ? change.item.version
                        : change.payment != null ? change.payment.version : change.refund.version;
    }

    /** After a change: the document, its deletion, or (children before their order) nothing yet. */
    private void emit(
            OrderDocumentState s,
            boolean orderChanged,
            long changedAt,
            boolean hold,
            ReadOnlyContext ctx,
            Collector<OrderDocumentWrite> out)
            throws Exception {
        long orderId = ctx.getCurrentKey();
        if (s.order != null) {
            // The order exists: a forget timer of its orphan or tombstone days is void now.
            cancelForget(s, ctx);
            if (hold) {
                // Read by the snapshot: more of its rows may follow in later tables.
                if (!s.heldForSnapshot) {
                    documentsHeld.inc();
                }
                s.heldForSnapshot = true;
                return;
            }
            // Whatever changed, its whole document at the newest version.
            s.heldForSnapshot = false;
            OrderDocument d = OrderDocumentBuilder.of(orderId, s, items.values(), payments.values(), refunds.values());
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
        refunds.clear();
    }

    private void forgetAt(OrderDocumentState s, ReadOnlyContext ctx, long afterMs) {
        cancelForget(s, ctx);
        s.forgetAt = ctx.timerService().currentProcessingTime() + afterMs;
        ctx.timerService().registerProcessingTimeTimer(s.forgetAt);
    }

    private static void cancelForget(OrderDocumentState s, ReadOnlyContext ctx) {
        if (s.forgetAt != 0) {
            ctx.timerService().deleteProcessingTimeTimer(s.forgetAt);
            s.forgetAt = 0;
        }
    }
}
