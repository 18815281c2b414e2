package io.paystream.functions.payments;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;

/** Row changes as the CDC source emits them, for harness tests. */
final class Rows {
    private Rows() {}

    static RowChange<PaymentRow> payment(String id, long orderId, PaymentStatus status, long updatedAt, long version) {
        PaymentRow r = new PaymentRow();
        r.paymentId = id;
        r.orderId = orderId;
        r.channel = PaymentChannel.ALIPAY;
        r.amountCents = 3550;
        r.status = status;
        r.channelTxnId = status == PaymentStatus.SUCCESS ? "2026" + orderId : null;
        r.createdAtMs = updatedAt;
        r.updatedAtMs = updatedAt;
        return new RowChange<>(version == 0 ? ChangeOp.READ : ChangeOp.UPDATE, null, r, updatedAt, version);
    }

    static RowChange<PaymentRow> deleted(RowChange<PaymentRow> last, long version) {
        return new RowChange<>(ChangeOp.DELETE, last.after, null, last.sourceTsMs, version);
    }

    static RowChange<OrderRow> order(long orderId, OrderStatus status, long updatedAt, long version) {
        OrderRow o = new OrderRow();
        o.orderId = orderId;
        o.userId = 9;
        o.status = status;
        o.totalAmountCents = 3550;
        o.createdAtMs = updatedAt;
        o.updatedAtMs = updatedAt;
        return new RowChange<>(version == 0 ? ChangeOp.READ : ChangeOp.UPDATE, null, o, updatedAt, version);
    }
}
