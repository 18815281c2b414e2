package io.paystream.functions.stock;

import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.SkuHolding;
import io.paystream.state.stock.SkuLedger;
import io.paystream.state.stock.UserHold;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;

/**
 * The purchase limits of one SKU ({@link StockLedger}): each user's live units and orders, and,
 * when a user holds more than {@code per_user_limit}, {@code PURCHASE_LIMIT_EXCEEDED} for the
 * orders beyond it (by {@code created_at}) and, if configured and unpaid, {@code CANCEL_OVER_LIMIT}.
 */
final class PurchaseLimits {
    private final MapState<Long, SkuHolding> holdings;
    private final MapState<Long, UserHold> heldByUser;
    private final boolean cancelOverLimit;
    private final Counter limitExceeded;

    PurchaseLimits(
            MapState<Long, SkuHolding> holdings,
            MapState<Long, UserHold> heldByUser,
            boolean cancelOverLimit,
            Counter limitExceeded) {
        this.holdings = holdings;
        this.heldByUser = heldByUser;
        this.cancelOverLimit = cancelOverLimit;
        this.limitExceeded = limitExceeded;
    }

    /** Moves the user's live units by {@code delta}, and keeps the order in or out of the user's list. */
    UserHold updateHold(long userId, long orderId, long delta, boolean live) throws Exception {
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
     * The user's live units grew: above the limit, the orders beyond it, in created_at order, are
     * the ones over the limit, whichever arrived last. Each is raised once.
     */
    void check(SkuLedger l, long skuId, long userId, UserHold hold, StockLedger.Context ctx, long now)
            throws Exception {
        if (l.perUserLimit == null || hold.units <= l.perUserLimit) {
            return;
        }
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
                raise(l, skuId, userId, o.getKey(), e, hold.units, ctx, now);
            }
        }
    }

    private void raise(
            SkuLedger l,
            long skuId,
            long userId,
            long orderId,
            SkuHolding e,
            long held,
            StockLedger.Context ctx,
            long now) {
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
}
