package io.paystream.functions.stock;

import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.StockHolding;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * How long {@link OrderStock} remembers an order: {@code retention} after its last row, by one
 * timer per order that is moved forward lazily; when it is over, an order still holding stock
 * tells the ledger RETIRED and its state goes.
 */
final class OrderRetention {
    private final OrderStock fn;
    private final long retentionMs;
    private final Counter ordersRetired;
    private final Counter orphanItemsDropped;

    OrderRetention(OrderStock fn, long retentionMs, MetricGroup metrics) {
        this.fn = fn;
        this.retentionMs = retentionMs;
        ordersRetired = metrics.counter("ordersRetired");
        orphanItemsDropped = metrics.counter("orphanItemsDropped");
    }

    /** The retention timer: retires the order if its retention is over (true), else moves the timer on. */
    boolean onRetireTimer(OrderStockState s, long timestamp, OrderStock.OnTimerContext ctx, Collector<StockHolding> out)
            throws Exception {
        if (s.retireAt <= timestamp) {
            retire(s, ctx.getCurrentKey(), out);
            return true;
        }
        // The order changed since the timer was set: one timer per order, moved forward lazily.
        s.retireTimer = s.retireAt;
        ctx.timerService().registerProcessingTimeTimer(s.retireAt);
        fn.order.update(s);
        return false;
    }

    /** A row changed: settle, and the order is remembered for the retention after its last row. */
    void afterRow(
            OrderStockState s,
            long[] changedSkus,
            OrderStock.ReadOnlyContext ctx,
            Collector<StockHolding> out,
            long now)
            throws Exception {
        fn.holdings.settle(s, changedSkus, ctx, out, now);
        s.retireAt = now + retentionMs;
        if (s.retireTimer == 0) {
            s.retireTimer = s.retireAt;
            ctx.timerService().registerProcessingTimeTimer(s.retireAt);
        }
        fn.order.update(s);
    }

    private void retire(OrderStockState s, long orderId, Collector<StockHolding> out) throws Exception {
        if (s.revision > 0) {
            // The ledger was told of this order (revision counts what was told), so it may keep an
            // entry of it: an open or paid order's units, or, for a released one, the alerts it
            // raised (kept so that a released order coming back does not raise them again).
            // Released orders are told too (issue 12); one the ledger kept nothing of costs it a
            // lookup. Every SKU the order has a line of, a deleted line too, is told.
            fn.holdings.tellRetired(s, orderId, out);
        } else if (!s.hasOrderRow() && fn.lines.any(s)) {
            orphanItemsDropped.inc(); // items whose order never showed up within the retention
        }
        fn.lines.clear(s);
        fn.order.clear();
        ordersRetired.inc();
    }
}
