package io.paystream.functions.stock;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.StockHolding;

/** Row changes as the CDC source emits them, for the stock harness tests. */
final class StockRows {
    private StockRows() {}

    static RowChange<OrderRow> order(long orderId, long userId, OrderStatus status, long createdAt, long version) {
        OrderRow o = new OrderRow();
        o.orderId = orderId;
        o.userId = userId;
        o.status = status;
        o.totalAmountCents = 2000;
        o.submitHash = "h" + orderId;
        o.clientIp = "10.0.0." + userId;
        o.createdAtMs = createdAt;
        o.updatedAtMs = createdAt;
        if (version == 0 || status == OrderStatus.CREATED) {
            return new RowChange<>(version == 0 ? ChangeOp.READ : ChangeOp.CREATE, null, o, createdAt, version);
        }
        // A status change: the before image is the order as created.
        RowChange<OrderRow> created = order(orderId, userId, OrderStatus.CREATED, createdAt, 1);
        return new RowChange<>(ChangeOp.UPDATE, created.after, o, createdAt, version);
    }

    static RowChange<OrderRow> submitted(long orderId, long userId, String hash, long createdAt, long version) {
        RowChange<OrderRow> c = order(orderId, userId, OrderStatus.CREATED, createdAt, version);
        c.op = ChangeOp.CREATE;
        c.after.submitHash = hash;
        return c;
    }

    static RowChange<OrderItemRow> item(long itemId, long orderId, long skuId, int quantity, long version) {
        OrderItemRow i = new OrderItemRow();
        i.itemId = itemId;
        i.orderId = orderId;
        i.skuId = skuId;
        i.quantity = quantity;
        i.unitPriceCents = 1000;
        return new RowChange<>(version == 0 ? ChangeOp.READ : ChangeOp.CREATE, null, i, 0, version);
    }

    /** A payment row changing from {@code from} to {@code to}. */
    static RowChange<PaymentRow> payment(
            String paymentId, long orderId, PaymentStatus from, PaymentStatus to, long version) {
        return new RowChange<>(
                ChangeOp.UPDATE,
                payment(paymentId, orderId, from, version).after,
                payment(paymentId, orderId, to, version).after,
                0,
                version);
    }

    static RowChange<PaymentRow> payment(String paymentId, long orderId, PaymentStatus status, long version) {
        PaymentRow p = new PaymentRow();
        p.paymentId = paymentId;
        p.orderId = orderId;
        p.channel = PaymentChannel.WECHAT;
        p.amountCents = 2000;
        p.status = status;
        return new RowChange<>(ChangeOp.UPDATE, null, p, 0, version);
    }

    static RowChange<InventoryRow> inventory(long skuId, int stock, DeductMode mode, Integer limit, long version) {
        InventoryRow r = new InventoryRow();
        r.skuId = skuId;
        r.name = "sku " + skuId;
        r.stock = stock;
        r.deductMode = mode;
        r.perUserLimit = limit;
        return new RowChange<>(version == 0 ? ChangeOp.READ : ChangeOp.UPDATE, null, r, 0, version);
    }

    static <R> RowChange<R> deleted(RowChange<R> last, long version) {
        return new RowChange<>(ChangeOp.DELETE, last.after, null, last.sourceTsMs, version);
    }

    static ShopChange of(Object change) {
        RowChange<?> c = (RowChange<?>) change;
        Object row = c.row();
        if (row instanceof OrderRow) {
            return ShopChange.ofOrder(cast(c));
        }
        if (row instanceof OrderItemRow) {
            return ShopChange.ofItem(cast(c));
        }
        return ShopChange.ofPayment(cast(c));
    }

    static StockHolding holding(long skuId, long orderId, long userId, long qty, HoldingPhase phase, int revision) {
        // Orders created in the order of their ids.
        return new StockHolding()
                .sku(skuId)
                .order(orderId)
                .user(userId)
                .orderCreatedAtMs(1_000_000L + orderId)
                .quantity(qty)
                .amountCents(qty * 1000)
                .phase(phase)
                .revision(revision);
    }

    @SuppressWarnings("unchecked")
    private static <T> RowChange<T> cast(RowChange<?> c) {
        return (RowChange<T>) c;
    }
}
