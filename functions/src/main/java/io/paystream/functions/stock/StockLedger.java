package io.paystream.functions.stock;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.SkuHolding;
import io.paystream.state.stock.SkuLedger;
import io.paystream.state.stock.StockHolding;
import io.paystream.state.stock.StockLevel;
import io.paystream.state.stock.UserHold;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
 * <p>The totals over this subtask's SKUs (gauges {@code reservedUnits}, {@code soldUnits}) are kept
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
    private transient MapState<Long, UserHold> heldByUser;
    private transient ListState<long[]> totalsState;
    private transient long reservedTotal;
    private transient long soldTotal;
    private transient Counter oversoldOrders;
    private transient Counter limitExceeded;
    private transient Counter staleHoldings;
    private transient Counter published;

    /** @param cancelOverLimit also send {@code CANCEL_OVER_LIMIT} for an unpaid order beyond a purchase limit */
    public StockLedger(boolean cancelOverLimit) {
        this.cancelOverLimit = cancelOverLimit;
    }

    @Override
    public void open(OpenContext openContext) {
        // No TTL: a SKU's counts live as long as the SKU. Per-order entries leave when the order
        // releases its units or the order stage retires it; per-user entries when they reach 0.
        ledger = getRuntimeContext().getState(new ValueStateDescriptor<>(LEDGER_STATE, SkuLedger.class));
        holdings = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        HOLDINGS_STATE, BasicTypeInfo.LONG_TYPE_INFO, TypeInformation.of(SkuHolding.class)));
        heldByUser = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "sku-held-by-user", BasicTypeInfo.LONG_TYPE_INFO, TypeInformation.of(UserHold.class)));
        var metrics = getRuntimeContext().getMetricGroup();
        oversoldOrders = metrics.counter("oversoldOrders");
        limitExceeded = metrics.counter("purchaseLimitExceeded");
        staleHoldings = metrics.counter("staleHoldingsIgnored");
        published = metrics.counter("stockLevelsPublished");
        metrics.gauge("reservedUnits", () -> reservedTotal);
        metrics.gauge("soldUnits", () -> soldTotal);
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
            flagSalesBeyondStock(l, ctx.getCurrentKey(), ctx, now);
        }
        // An operator's change shows at once, even when no count moved (mode, limit).
        publish(l, ctx.getCurrentKey(), now, out);
        ledger.update(l);
    }

    @Override
    public void processElement2(StockHolding h, Context ctx, Collector<StockLevel> out) throws Exception {
        SkuHolding old = holdings.get(h.orderId);
        if (old != null && h.revision < old.revision) {
            staleHoldings.inc();
            return;
        }
        SkuLedger l = ledger.value();
        if (l == null) {
            l = new SkuLedger(); // an order line of a SKU whose inventory row is not known (yet)
        }
        long now = ctx.timerService().currentProcessingTime();
        long oldOpen = old != null && old.phase == HoldingPhase.OPEN ? old.quantity : 0;
        long oldPaid = old != null && old.phase == HoldingPhase.PAID ? old.quantity : 0;
        long oldLive = oldOpen + oldPaid;

        if (h.phase == HoldingPhase.RETIRED) {
            // The order stage forgets the order: sold units stay sold, an open order stops holding.
            if (old != null) {
                holdings.remove(h.orderId);
                l.openUnits -= oldOpen;
                updateHold(h.userId, h.orderId, -oldLive, false);
                publishIfChanged(l, ctx.getCurrentKey(), now, out);
                ledger.update(l);
            }
            return;
        }

        long newOpen = h.phase == HoldingPhase.OPEN ? h.quantity : 0;
        long newPaid = h.phase == HoldingPhase.PAID ? h.quantity : 0;
        long newLive = newOpen + newPaid;
        l.openUnits += newOpen - oldOpen;
        l.paidUnits += newPaid - oldPaid;
        // OPEN to PAID moves no live units: the user's hold needs no read then.
        UserHold hold = newLive != oldLive ? updateHold(h.userId, h.orderId, newLive - oldLive, newLive > 0) : null;

        if (newLive == 0) {
            holdings.remove(h.orderId); // released: the order holds nothing here any more
        } else {
            SkuHolding e = old != null ? old : new SkuHolding();
            boolean newSale = newPaid > 0 && oldPaid == 0;
            e.userId = h.userId;
            e.createdAtMs = h.createdAtMs;
            e.quantity = h.quantity;
            e.amountCents = h.amountCents;
            e.phase = h.phase;
            e.revision = h.revision;
            if (newSale) {
                e.saleSeq = ++l.saleSeq;
            }
            if (newPaid > oldPaid && l.inventoryVersion >= 0 && l.paidUnits > l.stock && !e.oversold) {
                e.oversold = true;
                long beyond = Math.min(h.quantity, l.paidUnits - l.stock);
                raiseOversold(l, ctx.getCurrentKey(), h.orderId, e, beyond, ctx, now);
            }
            holdings.put(h.orderId, e);
            if (hold != null && newLive > oldLive && l.perUserLimit != null && hold.units > l.perUserLimit) {
                flagOrdersBeyondLimit(l, ctx.getCurrentKey(), h.userId, hold, ctx, now);
            }
        }
        publishIfChanged(l, ctx.getCurrentKey(), now, out);
        ledger.update(l);
    }

    /** Moves the user's live units by {@code delta}, and keeps the order in or out of the user's list. */
    private UserHold updateHold(long userId, long orderId, long delta, boolean live) throws Exception {
        UserHold hold = heldByUser.get(userId);
        if (hold == null) {
            hold = new UserHold();
        }
        hold.units += delta;
        int at = indexOf(hold.orderIds, orderId);
        if (live && at < 0) {
            long[] grown = Arrays.copyOf(hold.orderIds, hold.orderIds.length + 1);
            grown[hold.orderIds.length] = orderId;
            hold.orderIds = grown;
        } else if (!live && at >= 0) {
            long[] shrunk = new long[hold.orderIds.length - 1];
            System.arraycopy(hold.orderIds, 0, shrunk, 0, at);
            System.arraycopy(hold.orderIds, at + 1, shrunk, at, shrunk.length - at);
            hold.orderIds = shrunk;
        }
        if (hold.orderIds.length == 0) {
            heldByUser.remove(userId); // the user holds nothing of this SKU
        } else if (delta != 0 || live != (at >= 0)) {
            heldByUser.put(userId, hold);
        }
        return hold;
    }

    private static int indexOf(long[] ids, long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The user holds more than the limit: the orders beyond it, in created_at order, are the ones
     * over the limit, whichever arrived last. Each is raised once.
     */
    private void flagOrdersBeyondLimit(SkuLedger l, long skuId, long userId, UserHold hold, Context ctx, long now)
            throws Exception {
        List<Map.Entry<Long, SkuHolding>> orders = new ArrayList<>(hold.orderIds.length);
        for (long orderId : hold.orderIds) {
            SkuHolding e = holdings.get(orderId);
            if (e != null) {
                orders.add(Map.entry(orderId, e));
            }
        }
        orders.sort(Comparator.comparingLong((Map.Entry<Long, SkuHolding> e) -> e.getValue().createdAtMs)
                .thenComparingLong(Map.Entry::getKey));
        long cumulative = 0;
        for (Map.Entry<Long, SkuHolding> o : orders) {
            SkuHolding e = o.getValue();
            cumulative += e.liveUnits();
            if (cumulative > l.perUserLimit && !e.overLimit) {
                e.overLimit = true;
                holdings.put(o.getKey(), e);
                raiseOverLimit(l, skuId, userId, o.getKey(), e, hold.units, ctx, now);
            }
        }
    }

    private void raiseOversold(
            SkuLedger l, long skuId, long orderId, SkuHolding e, long beyond, Context ctx, long now) {
        Alert a = new Alert();
        a.type = Alert.OVERSOLD;
        a.alertId = a.type + ":" + skuId + ":" + orderId;
        a.skuId = skuId;
        a.orderId = orderId;
        a.userId = e.userId;
        a.amount = Money.yuan(e.amountCents);
        a.reason = "SKU " + skuId + ": " + l.paidUnits + " units sold of " + l.stock + " in stock; " + beyond
                + " of order " + orderId + "'s " + e.quantity + " units are beyond the stock: refund or compensate";
        a.raisedAt = now;
        ctx.output(StockOutputs.ALERTS, a);
        oversoldOrders.inc();
    }

    private void raiseOverLimit(
            SkuLedger l, long skuId, long userId, long orderId, SkuHolding e, long held, Context ctx, long now) {
        Alert a = new Alert();
        a.type = Alert.PURCHASE_LIMIT_EXCEEDED;
        a.alertId = a.type + ":" + skuId + ":" + orderId;
        a.skuId = skuId;
        a.orderId = orderId;
        a.userId = userId;
        a.amount = Money.yuan(e.amountCents);
        a.reason = "user " + userId + " holds " + held + " units of SKU " + skuId + " across live orders, limit "
                + l.perUserLimit + "; order " + orderId + " (" + e.quantity + " units) is beyond it";
        a.raisedAt = now;
        ctx.output(StockOutputs.ALERTS, a);
        limitExceeded.inc();
        if (cancelOverLimit && e.phase == HoldingPhase.OPEN) {
            // Only an unpaid order is cancelled; a paid one is a person's decision (the alert).
            ctx.output(
                    StockOutputs.COMMANDS,
                    StockOutputs.cancel(
                            OrderCommand.CANCEL_OVER_LIMIT,
                            OrderCommand.CANCEL_OVER_LIMIT + ":" + orderId + ":" + skuId,
                            orderId,
                            a.reason,
                            now));
        }
    }

    /**
     * The stock was cut below the sold units: the latest sales that no longer fit are beyond it.
     * Rare (an operator's change), so walking this SKU's open holdings is fine here.
     */
    private void flagSalesBeyondStock(SkuLedger l, long skuId, Context ctx, long now) throws Exception {
        List<Map.Entry<Long, SkuHolding>> sales = new ArrayList<>();
        for (Map.Entry<Long, SkuHolding> e : holdings.entries()) {
            if (e.getValue().phase == HoldingPhase.PAID) {
                sales.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        sales.sort(Comparator.comparingLong((Map.Entry<Long, SkuHolding> e) -> e.getValue().saleSeq)
                .reversed());
        long excess = l.paidUnits - l.stock;
        for (Map.Entry<Long, SkuHolding> e : sales) {
            if (excess <= 0) {
                break;
            }
            SkuHolding h = e.getValue();
            long beyond = Math.min(h.quantity, excess);
            excess -= h.quantity;
            if (!h.oversold) {
                h.oversold = true;
                raiseOversold(l, skuId, e.getKey(), h, beyond, ctx, now);
                holdings.put(e.getKey(), h);
            }
        }
    }

    private void publishIfChanged(SkuLedger l, long skuId, long now, Collector<StockLevel> out) {
        if (l.reserved() != l.publishedReserved || l.paidUnits != l.publishedSold) {
            publish(l, skuId, now, out);
        }
    }

    private void publish(SkuLedger l, long skuId, long now, Collector<StockLevel> out) {
        long reserved = l.reserved();
        reservedTotal += reserved - l.publishedReserved;
        soldTotal += l.paidUnits - l.publishedSold;
        l.publishedReserved = reserved;
        l.publishedSold = l.paidUnits;
        StockLevel s = new StockLevel();
        s.skuId = skuId;
        s.total = l.stock;
        s.reserved = reserved;
        s.sold = l.paidUnits;
        s.available = l.stock - reserved - l.paidUnits;
        s.oversold = Math.max(0, l.paidUnits - l.stock);
        s.mode = (l.mode == null ? DeductMode.ORDER : l.mode).name();
        s.version = ++l.revision;
        s.updatedAt = now;
        out.collect(s);
        published.inc();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        totalsState.update(List.of(new long[] {reservedTotal, soldTotal}));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        totalsState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("ledger-totals", TypeInformation.of(long[].class)));
        // After a rescale a subtask may get several old subtasks' totals: their sum over all
        // subtasks is still the job's total, which is what the status line shows.
        for (long[] t : totalsState.get()) {
            reservedTotal += t[0];
            soldTotal += t[1];
        }
    }
}
