package io.paystream.functions.stock;

import io.paystream.functions.SafetyTtl;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.StockHolding;
import io.paystream.state.stock.StockTypes;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
 * Each table's rows are applied by {@link OrderRows}, the retention timer is {@link OrderRetention}.
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

    transient ValueState<OrderStockState> order;
    transient OrderLines lines;
    transient UnpaidExpiry expiry;
    transient OrderHoldings holdings;
    transient OrderRetention retention;
    private transient OrderRows rows;

    OrderStock(OrderStockBuilder b) {
        this.payTimeoutMs = b.payTimeout.toMillis();
        this.retentionMs = b.retention.toMillis();
        this.safetyTtl = b.safetyTtl;
    }

    /** Options with the settings' defaults; {@code build()} checks them, naming each bad setting. */
    public static OrderStockBuilder builder() {
        return new OrderStockBuilder();
    }

    /**
     * The per-order state, also read by the jobs' savepoint report; hand-written serializer (POJO
     * state of older savepoints is migrated on restore).
     */
    public static ValueStateDescriptor<OrderStockState> orderStateDescriptor() {
        return new ValueStateDescriptor<>(
                ORDER_STATE, io.paystream.state.serializers.StockSerializers.OrderStockStateSerializer.INSTANCE);
    }

    /** The state of an order first seen now: no lines yet. */
    static OrderStockState newOrderState() {
        OrderStockState s = new OrderStockState();
        s.lines = OrderLine.NONE;
        return s;
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
        StateTtlConfig ttl = SafetyTtl.of(safetyTtl);
        ValueStateDescriptor<OrderStockState> o = orderStateDescriptor();
        o.enableTimeToLive(ttl);
        order = getRuntimeContext().getState(o);
        // The lines of orders restored from a savepoint older than lines in the order's state.
        MapStateDescriptor<Long, OrderLine> l =
                new MapStateDescriptor<>("order-lines", BasicTypeInfo.LONG_TYPE_INFO, StockTypes.ORDER_LINE);
        l.enableTimeToLive(ttl);
        lines = new OrderLines(order, getRuntimeContext().getMapState(l));
        var metrics = getRuntimeContext().getMetricGroup();
        expiry = new UnpaidExpiry(payTimeoutMs, lines, metrics.counter("unpaidExpired"));
        holdings = new OrderHoldings(lines, expiry);
        retention = new OrderRetention(this, retentionMs, metrics);
        rows = new OrderRows(this, metrics);
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
            rows.onOrder(change.order, ctx, out, now);
        } else if (change.item != null) {
            rows.onItem(change.item, ctx, out, now);
        } else if (change.payment != null) {
            rows.onPayment(change.payment, ctx, out, now);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StockHolding> out) throws Exception {
        OrderStockState s = order.value();
        if (s == null) {
            return;
        }
        if (timestamp == s.retireTimer && retention.onRetireTimer(s, timestamp, ctx, out)) {
            return;
        }
        if (s.orderPhase().expiryDue() && timestamp >= s.expiryCheckAt) {
            holdings.settle(s, null, ctx, out, ctx.currentProcessingTime());
            order.update(s);
        }
    }
}
