package io.paystream.functions.payments;

import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;

/** Verified notifications, for harness tests. */
final class Notifications {
    private Notifications() {}

    static PaymentNotification of(String paymentId, PaymentStatus status, long amountCents, String source) {
        PaymentNotification n = new PaymentNotification();
        n.paymentId = paymentId;
        n.channel = PaymentChannel.ALIPAY;
        n.channelTxnId = "TXN-" + paymentId;
        n.amountCents = amountCents;
        n.status = status;
        n.paidAt = status == PaymentStatus.SUCCESS ? 1_000_500L : 0;
        n.source = source;
        n.notifyId = source + "-" + status + "-" + amountCents;
        n.receivedAt = 1_000_400L;
        return n;
    }
}
