package io.paystream.functions.testing;

import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;

/** A verified notification; see {@link Fixtures#notification}. Its notify id is the same for a resend. */
public final class NotificationFixture {
    private final String paymentId;
    private PaymentChannel channel = PaymentChannel.ALIPAY;
    private PaymentStatus status;
    private long amountCents = 3550;
    private String source = PaymentNotification.CALLBACK;

    NotificationFixture(String paymentId) {
        this.paymentId = paymentId;
    }

    public NotificationFixture success() {
        return says(PaymentStatus.SUCCESS);
    }

    public NotificationFixture failed() {
        return says(PaymentStatus.FAILED);
    }

    public NotificationFixture closed() {
        return says(PaymentStatus.CLOSED);
    }

    /** A query answer without an outcome yet (NOTPAY, USERPAYING). */
    public NotificationFixture notPaidYet() {
        return says(null);
    }

    public NotificationFixture says(PaymentStatus status) {
        this.status = status;
        return this;
    }

    public NotificationFixture amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    public NotificationFixture via(PaymentChannel channel) {
        this.channel = channel;
        return this;
    }

    /** A channel's callback (the default). */
    public NotificationFixture byCallback() {
        this.source = PaymentNotification.CALLBACK;
        return this;
    }

    /** The answer to a re-query. */
    public NotificationFixture byQuery() {
        this.source = PaymentNotification.QUERY;
        return this;
    }

    public PaymentNotification build() {
        PaymentNotification n = new PaymentNotification();
        n.paymentId = paymentId;
        n.channel = channel;
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
