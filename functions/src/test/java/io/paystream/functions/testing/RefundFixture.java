package io.paystream.functions.testing;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.RefundRow;
import io.paystream.state.shop.RefundRowStatus;

/** A {@code refunds} row change; see {@link RefundFixtures#refund}. */
public final class RefundFixture extends ChangeFixture<RefundRow, RefundFixture> {
    private final String refundId;
    private String paymentId = "P1";
    private long orderId = 7;
    private PaymentChannel channel = PaymentChannel.ALIPAY;
    private long amountCents = 1000;
    private RefundRowStatus status = RefundRowStatus.CREATED;
    private String channelRefundId;
    private long updatedAtMs;

    RefundFixture(String refundId) {
        this.refundId = refundId;
    }

    public RefundFixture ofPayment(String paymentId) {
        this.paymentId = paymentId;
        return this;
    }

    public RefundFixture ofOrder(long orderId) {
        this.orderId = orderId;
        return this;
    }

    public RefundFixture via(PaymentChannel channel) {
        this.channel = channel;
        return this;
    }

    public RefundFixture amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    public RefundFixture created() {
        return status(RefundRowStatus.CREATED);
    }

    public RefundFixture refunding() {
        return status(RefundRowStatus.REFUNDING);
    }

    public RefundFixture succeeded() {
        return status(RefundRowStatus.SUCCESS);
    }

    public RefundFixture failed() {
        return status(RefundRowStatus.FAILED);
    }

    public RefundFixture status(RefundRowStatus status) {
        this.status = status;
        return this;
    }

    /** The channel's refund id, once the channel gave one. */
    public RefundFixture channelRefundId(String channelRefundId) {
        this.channelRefundId = channelRefundId;
        return this;
    }

    /** The row's {@code updated_at} (also its {@code created_at} and the change's commit time). */
    public RefundFixture at(long updatedAtMs) {
        this.updatedAtMs = updatedAtMs;
        this.sourceTsMs = updatedAtMs;
        return this;
    }

    @Override
    public RowChange<RefundRow> change() {
        RefundRow r = new RefundRow();
        r.refundId = refundId;
        r.paymentId = paymentId;
        r.orderId = orderId;
        r.channel = channel;
        r.amountCents = amountCents;
        r.status = status;
        r.channelRefundId = channelRefundId;
        r.createdAtMs = updatedAtMs;
        r.updatedAtMs = updatedAtMs;
        return new RowChange<>(updateOrRead(), null, r, sourceTsMs, version);
    }
}
