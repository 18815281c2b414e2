package io.paystream.functions.stock;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderPhase;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.StockHolding;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The order side of the stock ledger, keyed by order id: it knows an order's lines, status and
 * payment, and tells the SKU ledger, per SKU, the order's absolute holding (units and phase:
 * OPEN, PAID, RELEASED, RETIRED) whenever it changes. It also expires unpaid orders: an order
 * holding stock of a SKU that deducts on order and not paid {@code payTimeout} after its own
 * {@code created_at} gets {@code CANCEL_UNPAID} and its reservation is released.
 *
 * <p>Rows come in any order: items before their order, a payment before the items. Nothing is
 * told to the ledger until the order row is known (phase AWAITING_ORDER_ROW); then everything
 * known so far is told at once. Each row carries its binlog version, so a replayed or older row
 * changes nothing. The deduct mode of each SKU comes from {@code inventory} as broadcast state
 * (needed only to decide expiry: {@link UnpaidExpiry}); {@link OrderHoldings} sums the lines.
 */
public class OrderStock extends KeyedBroadcastProcessFunction<Long, ShopChange, RowChange<InventoryRow>, StockHolding> {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String ORDER_STATE = "order-stock";

    private static final long serialVersionUID = 1L;

    /** Deduct mode per SKU, from the inventory rows. */
    public static final MapStateDescriptor<Long, DeductMode> DEDUCT_MODES = new MapStateDescriptor<>(
            "deduct-modes", BasicTypeInfo.LONG_TYPE_INFO, TypeInformation.of(DeductMode.class));

    private final long payTimeoutMs;
    private final long retentionMs;
    private final Duration safetyTtl;

    private transient ValueState<OrderStockState> order;
    private transient MapState<Long, OrderLine> lines;
    private transient UnpaidExpiry expiry;
    private transient OrderHoldings holdings;
    private transient Counter ordersRetired;
    private transient Counter orphanItemsDropped;
    private transient Counter replaysIgnored;
    private transient Counter deadLetters;

    /**
     * @param payTimeout an unpaid order holding stock of a deduct-on-order SKU expires this long after its created_at
     * @param retention  an order is forgotten this long after its last change (longer than payTimeout)
     * @param safetyTtl  state TTL as a safety net only
     */
    public OrderStock(Duration payTimeout, Duration retention, Duration safetyTtl) {
        if (payTimeout.isNegative() || payTimeout.isZero() || retention.compareTo(payTimeout) <= 0) {
            throw new IllegalArgumentException("the pay timeout (" + payTimeout
                    + ") must be positive and the order retention (" + retention + ") longer than it");
        }
        this.payTimeoutMs = payTimeout.toMillis();
        this.retentionMs = retention.toMillis();
        this.safetyTtl = safetyTtl;
    }

    /** The key: the order a change belongs to. */
    public static long orderIdOf(ShopChange c) {
        if (c.order != null) {
            return c.order.row().orderId;
        }
        if (c.item != null) {
            return c.item.row().orderId;
        }
        return c.payment.row().orderId;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(safetyTtl)
                .cleanupInRocksdbCompactFilter(10_000)
                .build();
        ValueStateDescriptor<OrderStockState> o = new ValueStateDescriptor<>(ORDER_STATE, OrderStockState.class);
        o.enableTimeToLive(ttl);
        order = getRuntimeContext().getState(o);
        MapStateDescriptor<Long, OrderLine> l = new MapStateDescriptor<>(
                "order-lines", BasicTypeInfo.LONG_TYPE_INFO, TypeInformation.of(OrderLine.class));
        l.enableTimeToLive(ttl);
        lines = getRuntimeContext().getMapState(l);
        var metrics = getRuntimeContext().getMetricGroup();
        expiry = new UnpaidExpiry(payTimeoutMs, lines, metrics.counter("unpaidExpired"));
        holdings = new OrderHoldings(lines, expiry);
        ordersRetired = metrics.counter("ordersRetired");
        orphanItemsDropped = metrics.counter("orphanItemsDropped");
        replaysIgnored = metrics.counter("replaysIgnored");
        deadLetters = metrics.counter("deadLetters");
    }

    @Override
    public void processBroadcastElement(RowChange<InventoryRow> change, Context ctx, Collector<StockHolding> out)
            throws Exception {
        // One CDC reader feeds every subtask in binlog order, so the last row wins.
        if (change.isDelete()) {
            ctx.getBroadcastState(DEDUCT_MODES).remove(change.before.skuId);
        } else {
            ctx.getBroadcastState(DEDUCT_MODES).put(change.after.skuId, change.after.deductMode);
        }
    }

    @Override
    public void processElement(ShopChange change, ReadOnlyContext ctx, Collector<StockHolding> out) throws Exception {
        long now = ctx.currentProcessingTime();
        if (change.order != null) {
            onOrder(change.order, ctx, out, now);
        } else if (change.item != null) {
            onItem(change.item, ctx, out, now);
        } else if (change.payment != null) {
            onPayment(change.payment, ctx, out, now);
        }
    }

    private void onOrder(RowChange<OrderRow> change, ReadOnlyContext ctx, Collector<StockHolding> out, long now)
            throws Exception {
        OrderStockState s = order.value();
        if (s != null && change.version <= s.orderVersion) {
            replaysIgnored.inc(); // a replayed or older order row
            return;
        }
        if (s == null) {
            s = new OrderStockState();
        }
        boolean first = !s.hasOrderRow();
        OrderRow row = change.row();
        s.orderVersion = change.version;
        s.userId = row.userId;
        s.status = row.status;
        s.createdAtMs = row.createdAtMs;
        s.deleted = change.isDelete();
        if (first && !s.deleted && row.status == OrderStatus.CREATED && s.paidBy == null) {
            expiry.start(s, ctx);
        } else if (first) {
            s.orderPhase = OrderPhase.NO_EXPIRY; // paid, ended or deleted when first seen
        }
        afterRow(s, null, ctx, out, now);
    }

    private void onItem(RowChange<OrderItemRow> change, ReadOnlyContext ctx, Collector<StockHolding> out, long now)
            throws Exception {
        OrderItemRow row = change.row();
        OrderLine old = lines.get(row.itemId);
        if (old != null && change.version <= old.version) {
            replaysIgnored.inc();
            return;
        }
        if (!change.isDelete() && row.quantity <= 0) {
            // Not a purchase of anything: counting it would corrupt the ledger; a person should look.
            deadLetters.inc();
            ctx.output(StockOutputs.DEAD_LETTERS, StockOutputs.notAPurchase(change, now));
            return;
        }
        OrderStockState s = order.value();
        if (s == null) {
            s = new OrderStockState(); // the item came before its order: kept until the order shows up
        }
        // A deleted line stays as a quantity-0 tombstone, so a replayed older insert cannot revive it.
        lines.put(
                row.itemId,
                change.isDelete()
                        ? new OrderLine(row.skuId, 0, 0, change.version)
                        : new OrderLine(row.skuId, row.quantity, row.unitPriceCents, change.version));
        long[] changed =
                old == null || old.skuId == row.skuId ? new long[] {row.skuId} : new long[] {old.skuId, row.skuId};
        afterRow(s, changed, ctx, out, now);
    }

    private void onPayment(RowChange<PaymentRow> change, ReadOnlyContext ctx, Collector<StockHolding> out, long now)
            throws Exception {
        PaymentRow row = change.row();
        boolean success = !change.isDelete() && row.status == PaymentStatus.SUCCESS;
        boolean wasSuccess = change.before != null && change.before.status == PaymentStatus.SUCCESS;
        if (!success && !wasSuccess) {
            return; // CREATED, PAYING, FAILED...: never paid anything, no state to read (most payment rows)
        }
        OrderStockState s = order.value();
        if (s != null && row.paymentId.equals(s.paidBy)) {
            if (change.version <= s.paymentVersion) {
                replaysIgnored.inc();
                return;
            }
            s.paymentVersion = change.version;
            if (!success) {
                s.paidBy = null; // the success was taken back (row deleted or status reverted)
            }
        } else if (success && (s == null || s.paidBy == null)) {
            if (s == null) {
                s = new OrderStockState(); // the payment came before its order: remembered until it shows up
            }
            s.paidBy = row.paymentId;
            s.paymentVersion = change.version;
        } else {
            // Not a success, or the order is paid by another payment already: nothing changes.
            return;
        }
        afterRow(s, null, ctx, out, now);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StockHolding> out) throws Exception {
        OrderStockState s = order.value();
        if (s == null) {
            return;
        }
        if (timestamp == s.retireTimer && onRetireTimer(s, timestamp, ctx, out)) {
            return;
        }
        if (s.orderPhase().expiryDue() && timestamp >= s.expiryCheckAt) {
            holdings.settle(s, null, ctx, out, ctx.currentProcessingTime());
            order.update(s);
        }
    }

    /** The retention timer: retires the order if its retention is over (true), else moves the timer on. */
    private boolean onRetireTimer(OrderStockState s, long timestamp, OnTimerContext ctx, Collector<StockHolding> out)
            throws Exception {
        if (s.retireAt <= timestamp) {
            retire(s, ctx.getCurrentKey(), out);
            return true;
        }
        // The order changed since the timer was set: one timer per order, moved forward lazily.
        s.retireTimer = s.retireAt;
        ctx.timerService().registerProcessingTimeTimer(s.retireAt);
        order.update(s);
        return false;
    }

    /** A row changed: settle, and the order is remembered for the retention after its last row. */
    private void afterRow(
            OrderStockState s, long[] changedSkus, ReadOnlyContext ctx, Collector<StockHolding> out, long now)
            throws Exception {
        holdings.settle(s, changedSkus, ctx, out, now);
        s.retireAt = now + retentionMs;
        if (s.retireTimer == 0) {
            s.retireTimer = s.retireAt;
            ctx.timerService().registerProcessingTimeTimer(s.retireAt);
        }
        order.update(s);
    }

    private void retire(OrderStockState s, long orderId, Collector<StockHolding> out) throws Exception {
        if (s.phase == HoldingPhase.OPEN || s.phase == HoldingPhase.PAID) {
            holdings.tellAll(s, HoldingPhase.RETIRED, null, orderId, out);
        } else if (!s.hasOrderRow() && lines.iterator().hasNext()) {
            orphanItemsDropped.inc(); // items whose order never showed up within the retention
        }
        order.clear();
        lines.clear();
        ordersRetired.inc();
    }
}
