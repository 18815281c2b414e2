package io.paystream.functions.search;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.contract.Money;
import io.paystream.state.search.OrderDocument;
import io.paystream.state.search.OrderDocumentState;
import io.paystream.state.search.OrderDocumentWrite;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
            RowChange<OrderRow> c = change.order;
            if (c.version <= s.orderVersion) {
                // A replay, or an order row older than the one applied (or than its deletion).
                replaysIgnored.inc();
                return;
            }
            changedAt = Math.max(c.sourceTsMs, c.row().updatedAtMs);
            s.orderVersion = c.version;
            s.deleted = c.isDelete();
            s.order = c.after;
        } else if (change.item != null) {
            RowChange<OrderItemRow> c = change.item;
            if (fresh && c.isDelete()) {
                return; // a late deletion of a child of a forgotten (or never seen) order: nothing to keep
            }
            changedAt = c.sourceTsMs;
            if (c.isDelete()) {
                items.remove(c.before.itemId);
            } else {
                items.put(c.after.itemId, c.after);
            }
        } else {
            RowChange<PaymentRow> c = change.payment;
            if (fresh && c.isDelete()) {
                return;
            }
            changedAt = Math.max(c.sourceTsMs, c.row().updatedAtMs);
            if (c.isDelete()) {
                payments.remove(c.before.paymentId);
            } else {
                payments.put(c.after.paymentId, c.after);
            }
        }
        long version = change.order != null
                ? change.order.version
                : change.item != null ? change.item.version : change.payment.version;
        s.version = Math.max(s.version, version);
        s.lastChangeAt = Math.max(s.lastChangeAt, changedAt);

        if (s.order != null) {
            // The order exists: whatever changed, its whole document at the newest version. A
            // forget timer of its orphan or tombstone days is void now.
            cancelForget(s, ctx);
            out.collect(OrderDocumentWrite.upsert(document(ctx.getCurrentKey(), s), s.version, changedAt));
            documentsEmitted.inc();
        } else if (s.deleted) {
            if (change.order != null) {
                // The order itself was deleted: delete its document, at a version above every
                // write before it. Children arriving during the tombstone are kept silently.
                out.collect(OrderDocumentWrite.delete(ctx.getCurrentKey(), s.version, changedAt));
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
        head.update(s);
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

    /** The document of the order as the state holds it. */
    private OrderDocument document(long orderId, OrderDocumentState s) throws Exception {
        OrderRow o = s.order;
        OrderDocument d = new OrderDocument();
        d.orderId = orderId;
        d.userId = o.userId;
        d.status = o.status.name();
        d.totalAmount = Money.yuan(o.totalAmountCents);
        d.submitHash = o.submitHash;
        d.clientIp = o.clientIp;
        d.orderNo = o.orderNo;
        d.extra = o.extra;
        d.createdAt = o.createdAtMs;
        d.updatedAt = o.updatedAtMs;
        d.lastChangeAt = s.lastChangeAt;

        List<OrderItemRow> itemRows = new ArrayList<>();
        for (OrderItemRow r : items.values()) {
            itemRows.add(r);
        }
        itemRows.sort(Comparator.comparingLong(r -> r.itemId));
        d.items = new OrderDocument.Item[itemRows.size()];
        long quantity = 0;
        for (int i = 0; i < d.items.length; i++) {
            OrderItemRow r = itemRows.get(i);
            OrderDocument.Item it = new OrderDocument.Item();
            it.itemId = r.itemId;
            it.skuId = r.skuId;
            it.quantity = r.quantity;
            it.unitPrice = Money.yuan(r.unitPriceCents);
            it.amount = Money.yuan(Math.multiplyExact(r.unitPriceCents, (long) r.quantity));
            d.items[i] = it;
            quantity += r.quantity;
        }
        d.itemCount = d.items.length;
        d.totalQuantity = quantity;

        List<PaymentRow> paymentRows = new ArrayList<>();
        for (PaymentRow r : payments.values()) {
            paymentRows.add(r);
        }
        paymentRows.sort(Comparator.comparing(r -> r.paymentId));
        d.payments = new OrderDocument.Payment[paymentRows.size()];
        long paidCents = 0;
        Long paidAt = null;
        boolean paying = false;
        boolean pending = false;
        for (int i = 0; i < d.payments.length; i++) {
            PaymentRow r = paymentRows.get(i);
            OrderDocument.Payment p = new OrderDocument.Payment();
            p.paymentId = r.paymentId;
            p.channel = r.channel.name();
            p.amount = Money.yuan(r.amountCents);
            p.status = r.status.name();
            p.channelTxnId = r.channelTxnId;
            p.createdAt = r.createdAtMs;
            p.updatedAt = r.updatedAtMs;
            d.payments[i] = p;
            if (r.status == PaymentStatus.SUCCESS) {
                paidCents += r.amountCents;
                paidAt = paidAt == null ? r.updatedAtMs : Math.min(paidAt, r.updatedAtMs);
            }
            paying |= r.status == PaymentStatus.PAYING;
            pending |= r.status == PaymentStatus.CREATED;
        }
        d.paidAmount = Money.yuan(paidCents);
        d.paidAt = paidAt;
        d.paymentStatus = paidAt != null
                ? OrderDocument.PAYMENT_PAID
                : paying
                        ? OrderDocument.PAYMENT_PAYING
                        : pending
                                ? OrderDocument.PAYMENT_PENDING
                                : d.payments.length > 0 ? OrderDocument.PAYMENT_FAILED : OrderDocument.PAYMENT_NONE;
        return d;
    }
}
