package io.paystream.functions.search;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.util.Collector;

/**
 * The changes of orders, items, payments and refunds as one stream keyed by order id, for
 * {@link OrderDocuments}. A child row whose {@code order_id} changed (an item moved to another
 * order) becomes a deletion under its old order and an insertion under its new one, both at the
 * change's version, so each order's state only ever holds its own rows.
 */
public final class ByOrder {
    private ByOrder() {}

    public static final KeySelector<ShopChange, Long> KEY = ByOrder::orderId;

    public static long orderId(ShopChange c) {
        if (c.order != null) return c.order.row().orderId;
        if (c.item != null) return c.item.row().orderId;
        if (c.payment != null) return c.payment.row().orderId;
        return c.refund.row().orderId;
    }

    public static FlatMapFunction<RowChange<OrderRow>, ShopChange> orders() {
        return (c, out) -> out.collect(ShopChange.ofOrder(c));
    }

    public static FlatMapFunction<RowChange<OrderItemRow>, ShopChange> items() {
        return (c, out) -> split(c, r -> r.orderId, ShopChange::ofItem, out);
    }

    public static FlatMapFunction<RowChange<PaymentRow>, ShopChange> payments() {
        return (c, out) -> split(c, r -> r.orderId, ShopChange::ofPayment, out);
    }

    public static FlatMapFunction<RowChange<RefundRow>, ShopChange> refunds() {
        return (c, out) -> split(c, r -> r.orderId, ShopChange::ofRefund, out);
    }

    private static <R> void split(
            RowChange<R> c,
            ToLongFunction<R> orderId,
            Function<RowChange<R>, ShopChange> wrap,
            Collector<ShopChange> out) {
        if (c.op == ChangeOp.UPDATE
                && c.before != null
                && orderId.applyAsLong(c.before) != orderId.applyAsLong(c.after)) {
            // Moved to another order: gone from the old one, new in the new one.
            out.collect(wrap.apply(new RowChange<>(ChangeOp.DELETE, c.before, null, c.sourceTsMs, c.version)));
            out.collect(wrap.apply(new RowChange<>(ChangeOp.CREATE, null, c.after, c.sourceTsMs, c.version)));
        } else {
            out.collect(wrap.apply(c));
        }
    }
}
