package io.paystream.bench;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;

/** Typed events of the benchmark workloads, built the way the CDC source and the verifier emit them. */
final class Workload {
    private Workload() {}

    static String paymentId(long i) {
        return "P" + (100_000_000L + i);
    }

    static RowChange<PaymentRow> row(long i, PaymentStatus status, long updatedAt, long version) {
        PaymentRow r = new PaymentRow();
        r.paymentId = paymentId(i);
        r.orderId = i;
        r.channel = PaymentChannel.values()[(int) (i % 3)];
        r.amountCents = 100 + i % 100_000;
        r.status = status;
        r.createdAtMs = updatedAt;
        r.updatedAtMs = updatedAt;
        return new RowChange<>(ChangeOp.UPDATE, null, r, updatedAt, version);
    }

    static PaymentNotification success(long i, long now) {
        PaymentNotification n = new PaymentNotification();
        n.paymentId = paymentId(i);
        n.channel = PaymentChannel.values()[(int) (i % 3)];
        n.channelTxnId = "T" + i;
        n.amountCents = 100 + i % 100_000;
        n.status = PaymentStatus.SUCCESS;
        n.paidAt = now;
        n.source = PaymentNotification.CALLBACK;
        n.notifyId = "N" + i;
        n.receivedAt = now;
        return n;
    }
}
