package io.paystream.functions.stock;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.payments.OrderCommand;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.StockHolding;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
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
 * told to the ledger until the order row is known; then everything known so far is told at once.
 * Each row carries its binlog version, so a replayed or older row changes nothing. The deduct mode
 * of each SKU comes from {@code inventory} as broadcast state (needed only to decide expiry).
 */
public class OrderStock extends KeyedBroadcastProcessFunction<Long, ShopChange, RowChange<InventoryRow>, StockHolding> {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String ORDER_STATE = "order-stock";

    private static final long serialVersionUID = 1L;

    /** Deduct mode per SKU, from the inventory rows. */
    public static final MapStateDescriptor<Long, DeductMode> DEDUCT_MODES = new MapStateDescriptor<>(
            "deduct-modes", BasicTypeInfo.LONG_TYPE_INFO, TypeInformation.of(DeductMode.class));

    /** How soon an overdue order is looked at again when a SKU's deduct mode is not known yet (inventory not read yet). */
    static final long UNKNOWN_MODE_RECHECK_MS = 10_000;

    private final long payTimeoutMs;
    private final long retentionMs;
    private final Duration safetyTtl;

    private transient ValueState<OrderStockState> order;
    private transient MapState<Long, OrderLine> lines;
    private transient Counter unpaidExpired;
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
        unpaidExpired = metrics.counter("unpaidExpired");
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
        boolean first = s.orderVersion < 0;
        OrderRow row = change.row();
        s.orderVersion = change.version;
        s.userId = row.userId;
        s.status = row.status;
        s.createdAtMs = row.createdAtMs;
        s.deleted = change.isDelete();
        if (first && !s.deleted && row.status == OrderStatus.CREATED && s.paidBy == null) {
            // The expiry clock runs from the order's own created_at: CDC delay and downtime are
            // counted in, and an order already overdue (seen after a restart) is looked at at once.
            s.expiryCheckAt = row.createdAtMs + payTimeoutMs;
            ctx.timerService().registerProcessingTimeTimer(s.expiryCheckAt);
        }
        settle(s, null, true, ctx, out, now);
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
            ctx.output(
                    StockOutputs.DEAD_LETTERS,
                    new DeadLetter(
                            "cdc:order_items",
                            "order item " + row.itemId + " has quantity " + row.quantity + ": must be positive",
                            change.toString(),
                            now));
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
        settle(s, changed, true, ctx, out, now);
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
        settle(s, null, true, ctx, out, now);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StockHolding> out) throws Exception {
        OrderStockState s = order.value();
        if (s == null) {
            return;
        }
        long now = ctx.currentProcessingTime();
        if (timestamp == s.retireTimer) {
            if (s.retireAt <= timestamp) {
                retire(s, ctx.getCurrentKey(), out);
                return;
            }
            // The order changed since the timer was set: one timer per order, moved forward lazily.
            s.retireTimer = s.retireAt;
            ctx.timerService().registerProcessingTimeTimer(s.retireAt);
            order.update(s);
        }
        if (s.expiryCheckAt != 0 && timestamp >= s.expiryCheckAt) {
            settle(s, null, false, ctx, out, now);
        }
    }

    /**
     * Applies what changed: expires the order if it is overdue, tells the ledger the new holdings
     * (all SKUs when the phase changed, else only {@code changedSkus}), and moves the retention on.
     */
    private void settle(
            OrderStockState s,
            long[] changedSkus,
            boolean fromRow,
            ReadOnlyContext ctx,
            Collector<StockHolding> out,
            long now)
            throws Exception {
        checkExpiry(s, ctx, now);
        HoldingPhase phase = phaseOf(s);
        if (phase != null && phase != s.phase && !(s.phase == null && phase == HoldingPhase.RELEASED)) {
            // A new phase: every SKU of the order is told (and those a changed line just left).
            // An order first seen ended (a cancelled order in the snapshot) has nothing to tell.
            emit(s, phase, changedSkus, true, ctx.getCurrentKey(), out);
        } else if (phase != null && changedSkus != null && phase != HoldingPhase.RELEASED) {
            // A line changed in an order whose phase did not: only its SKUs are told. (A released
            // order holds nothing at the ledger, so a late line of it changes nothing there.)
            emit(s, phase, changedSkus, false, ctx.getCurrentKey(), out);
        }
        s.phase = phase;
        if (fromRow) {
            s.retireAt = now + retentionMs; // remembered for the retention after its last row
        }
        if (s.retireTimer == 0) {
            s.retireTimer = s.retireAt;
            ctx.timerService().registerProcessingTimeTimer(s.retireAt);
        }
        order.update(s);
    }

    /** OPEN, PAID or RELEASED from what is known; null while the order row is unknown. */
    static HoldingPhase phaseOf(OrderStockState s) {
        if (s.orderVersion < 0) {
            return null;
        }
        if (s.deleted || s.status == OrderStatus.CANCELLED || s.status == OrderStatus.CLOSED) {
            return HoldingPhase.RELEASED; // ended by the shop: wins over a payment (that one is refunded)
        }
        if (s.status == OrderStatus.PAID || s.paidBy != null) {
            return HoldingPhase.PAID; // also a payment that arrives after this job expired the order
        }
        return s.expired ? HoldingPhase.RELEASED : HoldingPhase.OPEN;
    }

    private void checkExpiry(OrderStockState s, ReadOnlyContext ctx, long now) throws Exception {
        if (s.expiryCheckAt == 0 || now < s.expiryCheckAt) {
            return;
        }
        if (phaseOf(s) != HoldingPhase.OPEN) {
            s.expiryCheckAt = 0; // paid or ended in time
            return;
        }
        ReadOnlyBroadcastState<Long, DeductMode> modes = ctx.getBroadcastState(DEDUCT_MODES);
        boolean anyLine = false;
        boolean reserves = false;
        boolean unknown = false;
        for (OrderLine line : lines.values()) {
            if (line.quantity > 0) {
                anyLine = true;
                DeductMode mode = modes.get(line.skuId);
                unknown |= mode == null;
                reserves |= mode == DeductMode.ORDER;
            }
        }
        if (!anyLine) {
            return; // no lines yet: the check runs again when they arrive
        }
        if (unknown && !s.modeRechecked) {
            // A SKU's inventory row was not read yet (e.g. the first snapshot is still running):
            // give it a moment, then a SKU still unknown counts as deduct-on-order, as in the ledger.
            s.modeRechecked = true;
            s.expiryCheckAt = now + UNKNOWN_MODE_RECHECK_MS;
            ctx.timerService().registerProcessingTimeTimer(s.expiryCheckAt);
        } else if (reserves || unknown) {
            s.expired = true;
            s.expiryCheckAt = 0;
            long orderId = ctx.getCurrentKey();
            ctx.output(
                    StockOutputs.COMMANDS,
                    StockOutputs.cancel(
                            OrderCommand.CANCEL_UNPAID,
                            OrderCommand.CANCEL_UNPAID + ":" + orderId,
                            orderId,
                            "not paid " + payTimeoutMs / 1000 + " s after it was created at " + s.createdAtMs
                                    + ": its reservation is released",
                            now));
            unpaidExpired.inc();
        }
        // Otherwise only deduct-on-payment lines so far: nothing reserved, nothing to cancel. The
        // check stays due, so a deduct-on-order line that arrives late still expires the order.
    }

    private void retire(OrderStockState s, long orderId, Collector<StockHolding> out) throws Exception {
        if (s.phase == HoldingPhase.OPEN || s.phase == HoldingPhase.PAID) {
            emit(s, HoldingPhase.RETIRED, null, true, orderId, out);
        } else if (s.orderVersion < 0 && lines.iterator().hasNext()) {
            orphanItemsDropped.inc(); // items whose order never showed up within the retention
        }
        order.clear();
        lines.clear();
        ordersRetired.inc();
    }

    /**
     * Emits the order's holding of each SKU in {@code skus} (also when it fell to 0 units), and
     * with {@code allSkus} of every SKU the order has units of. One pass over the lines.
     */
    private void emit(
            OrderStockState s,
            HoldingPhase phase,
            long[] skus,
            boolean allSkus,
            long orderId,
            Collector<StockHolding> out)
            throws Exception {
        Map<Long, long[]> bySku = new HashMap<>(4); // sku -> {quantity, amount}
        if (skus != null) {
            for (long sku : skus) {
                bySku.put(sku, new long[2]);
            }
        }
        for (OrderLine line : lines.values()) {
            long[] sum = allSkus && line.quantity > 0
                    ? bySku.computeIfAbsent(line.skuId, k -> new long[2])
                    : bySku.get(line.skuId);
            if (sum != null) {
                sum[0] += line.quantity;
                sum[1] += line.quantity * line.unitPriceCents;
            }
        }
        if (bySku.isEmpty()) {
            return;
        }
        s.revision++;
        for (Map.Entry<Long, long[]> e : bySku.entrySet()) {
            out.collect(new StockHolding()
                    .sku(e.getKey())
                    .order(orderId)
                    .user(s.userId)
                    .orderCreatedAtMs(s.createdAtMs)
                    .quantity(e.getValue()[0])
                    .amountCents(e.getValue()[1])
                    .phase(phase)
                    .revision(s.revision));
        }
    }
}
