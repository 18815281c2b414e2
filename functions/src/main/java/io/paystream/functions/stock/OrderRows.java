package io.paystream.functions.stock;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderPhase;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.StockHolding;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * The rows of one order applied to {@link OrderStock}'s state, one method per table: the order
 * row (which starts the expiry clock of an order first seen CREATED and unpaid), its lines (kept
 * per item, a deleted one as a tombstone) and its one successful payment. A replayed or older row
 * changes nothing.
 */
final class OrderRows {
    private final OrderStock fn;
    private final Counter replaysIgnored;
    private final Counter deadLetters;

    OrderRows(OrderStock fn, MetricGroup metrics) {
        this.fn = fn;
        replaysIgnored = metrics.counter("replaysIgnored");
        deadLetters = metrics.counter("deadLetters");
    }

    void onOrder(RowChange<OrderRow> change, OrderStock.ReadOnlyContext ctx, Collector<StockHolding> out, long now)
            throws Exception {
        OrderStockState s = fn.order.value();
        if (s != null && change.version <= s.orderVersion) {
            replaysIgnored.inc(); // a replayed or older order row
            return;
        }
        if (s == null) {
            s = OrderStock.newOrderState();
        }
        boolean first = !s.hasOrderRow();
        OrderRow row = change.row();
        s.orderVersion = change.version;
        s.userId = row.userId;
        s.status = row.status;
        s.createdAtMs = row.createdAtMs;
        s.deleted = change.isDelete();
        if (first && !s.deleted && row.status == OrderStatus.CREATED && s.paidBy == null) {
            fn.expiry.start(s, ctx);
        } else if (first) {
            s.orderPhase = OrderPhase.NO_EXPIRY; // paid, ended or deleted when first seen
        }
        fn.retention.afterRow(s, null, ctx, out, now);
    }

    void onItem(RowChange<OrderItemRow> change, OrderStock.ReadOnlyContext ctx, Collector<StockHolding> out, long now)
            throws Exception {
        OrderItemRow row = change.row();
        OrderStockState s = fn.order.value();
        if (s == null) {
            s = OrderStock.newOrderState(); // the item came before its order: kept until the order shows up
        }
        OrderLine old = fn.lines.find(s, row.itemId);
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
        // A deleted line stays as a quantity-0 tombstone, so a replayed older insert cannot revive it.
        fn.lines.put(
                s,
                change.isDelete()
                        ? new OrderLine(row.itemId, row.skuId, 0, 0, change.version)
                        : new OrderLine(row.itemId, row.skuId, row.quantity, row.unitPriceCents, change.version));
        long[] changed =
                old == null || old.skuId == row.skuId ? new long[] {row.skuId} : new long[] {old.skuId, row.skuId};
        fn.retention.afterRow(s, changed, ctx, out, now);
    }

    void onPayment(RowChange<PaymentRow> change, OrderStock.ReadOnlyContext ctx, Collector<StockHolding> out, long now)
            throws Exception {
        PaymentRow row = change.row();
        boolean success = !change.isDelete() && row.status == PaymentStatus.SUCCESS;
        boolean wasSuccess = change.before != null && change.before.status == PaymentStatus.SUCCESS;
        if (!success && !wasSuccess) {
            return; // CREATED, PAYING, FAILED...: never paid anything, no state to read (most payment rows)
        }
        OrderStockState s = fn.order.value();
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
                s = OrderStock.newOrderState(); // the payment came before its order: remembered until it shows up
            }
            s.paidBy = row.paymentId;
            s.paymentVersion = change.version;
        } else {
            // Not a success, or the order is paid by another payment already: nothing changes.
            return;
        }
        fn.retention.afterRow(s, null, ctx, out, now);
    }
}
