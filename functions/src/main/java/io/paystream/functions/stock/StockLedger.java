package io.paystream.functions.stock;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.SkuHolding;
import io.paystream.state.stock.SkuLedger;
import io.paystream.state.stock.StockHolding;
import io.paystream.state.stock.StockLevel;
import io.paystream.state.stock.StockTypes;
import io.paystream.state.stock.UserHold;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The SKU side of the stock ledger, keyed by sku id: it owns a SKU's counts, the oversell and
 * purchase-limit decisions, and publishes the SKU's absolute {@link StockLevel} whenever its
 * counts change.
 *
 * <p>Each order's holding of the SKU is kept under its order id and <em>replaced</em> by the next
 * one, so a repeated or replayed holding changes nothing; the counts move by the difference. The
 * total is {@code inventory.stock}; reserved are the units of live unpaid orders where the SKU
 * deducts on order (0 where it deducts on payment); sold are the units of paid orders; available
 * is total - reserved - sold.
 *
 * <ul>
 *   <li><b>Oversell</b>: a sale that takes the sold units beyond the stock raises {@code OVERSOLD}
 *       for that order (sales are ranked by arrival: the latest ones are beyond the stock). An
 *       operator cutting the stock below the sold units raises it for the latest sales that no
 *       longer fit.</li>
 *   <li><b>Purchase limit</b>: when a user holds more than {@code per_user_limit} units of the SKU
 *       across live orders, the orders beyond the limit (ranked by {@code created_at}, whatever
 *       order their rows arrive in) raise {@code PURCHASE_LIMIT_EXCEEDED}, and, if configured and
 *       unpaid, {@code CANCEL_OVER_LIMIT}.</li>
 * </ul>
 *
 * <p>The oversell decisions are {@link Oversell}'s, the purchase limits {@link PurchaseLimits}',
 * the published levels and their totals {@link StockLevels}'. The totals over this subtask's SKUs (gauges {@code reservedUnits}, {@code soldUnits}) are kept
 * in operator state, so they survive restores.
 */
public class StockLedger extends KeyedCoProcessFunction<Long, RowChange<InventoryRow>, StockHolding, StockLevel>
        implements CheckpointedFunction {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String LEDGER_STATE = "sku-ledger";
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String HOLDINGS_STATE = "sku-holdings";

    private static final long serialVersionUID = 1L;

    private final boolean cancelOverLimit;

    private transient ValueState<SkuLedger> ledger;
    private transient MapState<Long, SkuHolding> holdings;
    private transient StockLevels levels;
    private transient Oversell oversell;
    private transient PurchaseLimits limits;
    private transient Counter staleHoldings;

    /** @param cancelOverLimit also send {@code CANCEL_OVER_LIMIT} for an unpaid order beyond a purchase limit */
    public StockLedger(boolean cancelOverLimit) {
        this.cancelOverLimit = cancelOverLimit;
    }

    /**
     * The per-SKU state, also read by the jobs' savepoint report; hand-written serializer (POJO
     * state of older savepoints is migrated on restore).
     */
    public static ValueStateDescriptor<SkuLedger> ledgerDescriptor() {
        return new ValueStateDescriptor<>(
                LEDGER_STATE, io.paystream.state.serializers.StockSerializers.SkuLedgerSerializer.INSTANCE);
    }

    /** The SKU's holdings per order, also read by the jobs' savepoint report and the tests. */
    public static MapStateDescriptor<Long, SkuHolding> holdingsDescriptor() {
        return new MapStateDescriptor<>(HOLDINGS_STATE, BasicTypeInfo.LONG_TYPE_INFO, StockTypes.SKU_HOLDING);
    }

    @Override
    public void open(OpenContext openContext) {
        // No TTL: a SKU's counts live as long as the SKU. Per-order entries leave when the order
        // releases its units (one an alert was raised for stays, holding nothing, until retired) or
        // the order stage retires it; per-user entries when they reach 0.
        ledger = getRuntimeContext().getState(ledgerDescriptor());
        holdings = getRuntimeContext().getMapState(holdingsDescriptor());
        MapState<Long, UserHold> heldByUser = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "sku-held-by-user", BasicTypeInfo.LONG_TYPE_INFO, StockTypes.USER_HOLD));
        var metrics = getRuntimeContext().getMetricGroup();
        oversell = new Oversell(holdings, metrics.counter("oversoldOrders"));
        limits = new PurchaseLimits(holdings, heldByUser, cancelOverLimit, metrics.counter("purchaseLimitExceeded"));
        staleHoldings = metrics.counter("staleHoldingsIgnored");
        levels.registerMetrics(metrics);
    }

    @Override
    public void processElement1(RowChange<InventoryRow> change, Context ctx, Collector<StockLevel> out)
            throws Exception {
        SkuLedger l = ledger.value();
        if (l != null && change.version <= l.inventoryVersion) {
            return; // a replayed or older inventory row
        }
        if (l == null) {
            l = new SkuLedger();
        }
        long oldStock = l.stock;
        boolean wasKnown = l.inventoryVersion >= 0;
        l.inventoryVersion = change.version;
        if (change.isDelete()) {
            l.stock = 0; // off the catalogue: the shop owns none of it any more
        } else {
            InventoryRow row = change.after;
            l.stock = row.stock;
            l.mode = row.deductMode;
            l.perUserLimit = row.perUserLimit;
        }
        long now = ctx.timerService().currentProcessingTime();
        // Sales that came before the SKU's first inventory row (the snapshot reads tables in any
        // order) are judged when it arrives; later, only a cut of the stock can push sales beyond it.
        if ((!wasKnown || l.stock < oldStock) && l.paidUnits > l.stock) {
            oversell.flagSalesBeyondStock(l, ctx.getCurrentKey(), ctx, now);
        }
        // An operator's change shows at once, even when no count moved (mode, limit).
        levels.publish(l, ctx.getCurrentKey(), now, out);
        ledger.update(l);
    }

    @Override
    public void processElement2(StockHolding h, Context ctx, Collector<StockLevel> out) throws Exception {
        SkuHolding old = holdings.get(h.orderId);
        if (old != null && h.revision < old.revision) {
            staleHoldings.inc();
            return;
        }
        if (h.phase == HoldingPhase.RETIRED && old == null) {
            return; // retired, and never held anything here
        }
        SkuLedger l = ledger.value();
        if (l == null) {
            l = new SkuLedger(); // an order line of a SKU whose inventory row is not known (yet)
        }
        long now = ctx.timerService().currentProcessingTime();
        if (h.phase == HoldingPhase.RETIRED) {
            retire(l, h, old);
        } else {
            replace(l, h, old, ctx, now);
        }
        levels.publishIfChanged(l, ctx.getCurrentKey(), now, out);
        ledger.update(l);
    }

    /**
     * The order stage forgets the order: sold units stay sold, an open order stops holding, and
     * what was remembered of a released one (the alerts raised for it) goes.
     */
    private void retire(SkuLedger l, StockHolding h, SkuHolding old) throws Exception {
        holdings.remove(h.orderId);
        long oldLive = openUnits(old) + paidUnits(old);
        l.openUnits -= openUnits(old);
        if (oldLive > 0) {
            limits.updateHold(h.userId, h.orderId, -oldLive, false);
        }
    }

    /** The order's new holding replaces its old one: the counts move by the difference. */
    private void replace(SkuLedger l, StockHolding h, SkuHolding old, Context ctx, long now) throws Exception {
        long oldOpen = openUnits(old);
        long oldPaid = paidUnits(old);
        long newOpen = h.phase == HoldingPhase.OPEN ? h.quantity : 0;
        long newPaid = h.phase == HoldingPhase.PAID ? h.quantity : 0;
        long oldLive = oldOpen + oldPaid;
        long newLive = newOpen + newPaid;
        l.openUnits += newOpen - oldOpen;
        l.paidUnits += newPaid - oldPaid;
        // OPEN to PAID moves no live units: the user's hold needs no read then.
        UserHold hold =
                newLive != oldLive ? limits.updateHold(h.userId, h.orderId, newLive - oldLive, newLive > 0) : null;
        if (newLive == 0) {
            // Released: the order holds nothing here any more. An order an alert was raised for is
            // remembered (holding nothing) until the order stage retires it: a released order can
            // come back (expired unpaid while the job lagged, then its payment read: issue 12), and
            // an entry made afresh would raise PURCHASE_LIMIT_EXCEEDED (or OVERSOLD) for it again,
            // with the same id. Any other released order leaves at once, as before.
            if (old != null && (old.overLimit || old.oversold)) {
                holdings.put(h.orderId, releasedRaised(old, h));
            } else {
                holdings.remove(h.orderId);
            }
            return;
        }
        SkuHolding e = holding(old, h);
        if (newPaid > 0 && oldPaid == 0) {
            e.saleSeq = ++l.saleSeq; // a new sale
        }
        if (newPaid > oldPaid) {
            oversell.checkSale(l, ctx.getCurrentKey(), h.orderId, e, ctx, now);
        }
        holdings.put(h.orderId, e);
        if (hold != null && newLive > oldLive) {
            limits.check(l, ctx.getCurrentKey(), h.userId, hold, ctx, now);
        }
    }

    private static SkuHolding holding(SkuHolding old, StockHolding h) {
        SkuHolding e = old != null ? old : new SkuHolding();
        e.userId = h.userId;
        e.createdAtMs = h.createdAtMs;
        e.quantity = h.quantity;
        e.amountCents = h.amountCents;
        e.phase = h.phase;
        e.revision = h.revision;
        return e;
    }

    /**
     * A released order's entry that keeps only its alert flags (and the revision, so an older
     * holding of it is still stale): RELEASED with no units, so it counts nowhere, not in the
     * limits (it left the user's list) nor in the sales a stock cut walks.
     */
    private static SkuHolding releasedRaised(SkuHolding old, StockHolding h) {
        old.phase = HoldingPhase.RELEASED;
        old.quantity = 0;
        old.amountCents = 0;
        old.revision = h.revision;
        return old;
    }

    private static long openUnits(SkuHolding e) {
        return e != null && e.phase == HoldingPhase.OPEN ? e.quantity : 0;
    }

    private static long paidUnits(SkuHolding e) {
        return e != null && e.phase == HoldingPhase.PAID ? e.quantity : 0;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        levels.snapshotTotals();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        levels = StockLevels.restore(context.getOperatorStateStore());
    }
}
