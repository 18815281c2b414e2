package io.paystream.functions.testing;

import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentChannel;

/** A verified refund notification; see {@link RefundFixtures#refundNotice}. Its notify id is the same for a resend. */
public final class RefundNotificationFixture {
    private final String refundId;
    private String paymentId = "P1";
    private PaymentChannel channel = PaymentChannel.ALIPAY;
    private RefundStatus status;
    private Long amountCents = 1000L;
    private String source = RefundNotification.CALLBACK;

    RefundNotificationFixture(String refundId) {
        this.refundId = refundId;
    }

    public RefundNotificationFixture ofPayment(String paymentId) {
        this.paymentId = paymentId;
        return this;
    }

    /** A notification that names no payment (UnionPay names it by the channel's transaction id only). */
    public RefundNotificationFixture namingNoPayment() {
        this.paymentId = null;
        return this;
    }

    public RefundNotificationFixture success() {
        return says(RefundStatus.SUCCESS);
    }

    public RefundNotificationFixture failed() {
        return says(RefundStatus.FAILED);
    }

    public RefundNotificationFixture closed() {
        return says(RefundStatus.CLOSED);
    }

    /** A query answer without an outcome yet (PROCESSING). */
    public RefundNotificationFixture processing() {
        return says(null);
    }

    public RefundNotificationFixture says(RefundStatus status) {
        this.status = status;
        return this;
    }

    public RefundNotificationFixture amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    /** A notification that states no amount of this refund (Alipay states only the cumulative). */
    public RefundNotificationFixture statingNoAmount() {
        this.amountCents = null;
        return this;
    }

    public RefundNotificationFixture via(PaymentChannel channel) {
        this.channel = channel;
        return this;
    }

    /** A channel's callback (the default). */
    public RefundNotificationFixture byCallback() {
        this.source = RefundNotification.CALLBACK;
        return this;
    }

    /** The answer to a refund re-query. */
    public RefundNotificationFixture byQuery() {
        this.source = RefundNotification.QUERY;
        return this;
    }

    public RefundNotification build() {
        RefundNotification n = new RefundNotification();
        n.refundId = refundId;
        n.paymentId = paymentId;
        n.channel = channel;
        n.channelRefundId = "CR-" + refundId;
        n.paymentChannelTxnId = "TXN-" + paymentId;
        n.refundAmountCents = amountCents;
        n.status = status;
        n.refundedAt = status == RefundStatus.SUCCESS ? 1_000_500L : 0;
        n.source = source;
        n.notifyId = source + "-" + refundId + "-" + status + "-" + amountCents;
        n.receivedAt = 1_000_400L;
        return n;
    }
}
