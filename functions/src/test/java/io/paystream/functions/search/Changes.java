package io.paystream.functions.search;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.shop.RefundRow;
import io.paystream.state.shop.RefundRowStatus;

/** Shop changes as the CDC source emits them (version 0: a snapshot row), for the search harness tests. */
final class Changes {
    static final long T0 = 1_800_000_000_000L;

    private Changes() {}

    static OrderRow orderRow(long orderId, OrderStatus status, long updatedAt) {
        OrderRow o = new OrderRow();
        o.orderId = orderId;
        o.userId = 42;
        o.status = status;
        o.totalAmountCents = 7_100;
        o.submitHash = "h" + orderId;
        o.clientIp = "10.0.0.7";
        o.createdAtMs = T0;
        o.updatedAtMs = updatedAt;
        return o;
    }

    static OrderItemRow itemRow(long itemId, long orderId, int quantity, long unitPriceCents) {
        OrderItemRow r = new OrderItemRow();
        r.itemId = itemId;
        r.orderId = orderId;
        r.skuId = 1000 + itemId;
        r.quantity = quantity;
        r.unitPriceCents = unitPriceCents;
        return r;
    }

    static PaymentRow paymentRow(String id, long orderId, PaymentStatus status, long amountCents, long updatedAt) {
        PaymentRow p = new PaymentRow();
        p.paymentId = id;
        p.orderId = orderId;
        p.channel = PaymentChannel.WECHAT;
        p.amountCents = amountCents;
        p.status = status;
        p.channelTxnId = status == PaymentStatus.SUCCESS ? "wx-" + id : null;
        p.createdAtMs = T0;
        p.updatedAtMs = updatedAt;
        return p;
    }

    static RefundRow refundRow(String id, String paymentId, long orderId, RefundRowStatus status, long cents) {
        RefundRow r = new RefundRow();
        r.refundId = id;
        r.paymentId = paymentId;
        r.orderId = orderId;
        r.channel = PaymentChannel.WECHAT;
        r.amountCents = cents;
        r.status = status;
        r.channelRefundId = status == RefundRowStatus.SUCCESS ? "rf-" + id : null;
        r.createdAtMs = T0;
        r.updatedAtMs = T0 + 60_000;
        return r;
    }

    static ShopChange upsert(RefundRow r, long version) {
        return ShopChange.ofRefund(new RowChange<>(op(version), null, r, ts(version), version));
    }

    static ShopChange delete(RefundRow r, long version) {
        return ShopChange.ofRefund(new RowChange<>(ChangeOp.DELETE, r, null, ts(version), version));
    }

    static ShopChange upsert(OrderRow o, long version) {
        return ShopChange.ofOrder(new RowChange<>(op(version), null, o, ts(version), version));
    }

    static ShopChange upsert(OrderItemRow r, long version) {
        return ShopChange.ofItem(new RowChange<>(op(version), null, r, ts(version), version));
    }

    static ShopChange upsert(PaymentRow r, long version) {
        return ShopChange.ofPayment(new RowChange<>(op(version), null, r, ts(version), version));
    }

    static ShopChange delete(OrderRow o, long version) {
        return ShopChange.ofOrder(new RowChange<>(ChangeOp.DELETE, o, null, ts(version), version));
    }

    static ShopChange delete(OrderItemRow r, long version) {
        return ShopChange.ofItem(new RowChange<>(ChangeOp.DELETE, r, null, ts(version), version));
    }

    static ShopChange delete(PaymentRow r, long version) {
        return ShopChange.ofPayment(new RowChange<>(ChangeOp.DELETE, r, null, ts(version), version));
    }

    /** Binlog rows carry their commit second; snapshot rows none. */
    private static long ts(long version) {
        return version == 0 ? 0 : T0 + version * 1000;
    }

    private static ChangeOp op(long version) {
        return version == 0 ? ChangeOp.READ : ChangeOp.UPDATE;
    }
}
