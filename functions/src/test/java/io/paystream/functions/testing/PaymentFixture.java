package io.paystream.functions.testing;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;

/** A {@code payments} row change; see {@link Fixtures#payment}. */
public final class PaymentFixture extends ChangeFixture<PaymentRow, PaymentFixture> {
    private final String paymentId;
    private long orderId;
    private String orderNo;
    private PaymentChannel channel = PaymentChannel.ALIPAY;
    private long amountCents = 3550;
    private PaymentStatus status = PaymentStatus.CREATED;
    private PaymentStatus before;
    private long updatedAtMs;

    PaymentFixture(String paymentId) {
        this.paymentId = paymentId;
    }

    public PaymentFixture ofOrder(long orderId) {
        this.orderId = orderId;
        return this;
    }

    /** A payment that names its order by number only (its order id is resolved from the order's row). */
    public PaymentFixture ofOrderNumber(String orderNo) {
        this.orderNo = orderNo;
        this.orderId = 0;
        return this;
    }

    public PaymentFixture via(PaymentChannel channel) {
        this.channel = channel;
        return this;
    }

    public PaymentFixture amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    public PaymentFixture created() {
        return status(PaymentStatus.CREATED);
    }

    public PaymentFixture paying() {
        return status(PaymentStatus.PAYING);
    }

    public PaymentFixture succeeded() {
        return status(PaymentStatus.SUCCESS);
    }

    public PaymentFixture failed() {
        return status(PaymentStatus.FAILED);
    }

    public PaymentFixture closed() {
        return status(PaymentStatus.CLOSED);
    }

    public PaymentFixture status(PaymentStatus status) {
        this.status = status;
        return this;
    }

    /** An update whose before image had status {@code before}. */
    public PaymentFixture wasBefore(PaymentStatus before) {
        this.before = before;
        return this;
    }

    /** The row's {@code updated_at} (also its {@code created_at} and the change's commit time). */
    public PaymentFixture at(long updatedAtMs) {
        this.updatedAtMs = updatedAtMs;
        this.sourceTsMs = updatedAtMs;
        return this;
    }

    @Override
    public RowChange<PaymentRow> change() {
        PaymentRow beforeRow = before == null ? null : row(before);
        return new RowChange<>(
                before == null ? updateOrRead() : ChangeOp.UPDATE, beforeRow, row(status), sourceTsMs, version);
    }

    private PaymentRow row(PaymentStatus s) {
        PaymentRow r = new PaymentRow();
        r.paymentId = paymentId;
        r.orderId = orderId;
        r.orderNo = orderNo;
        r.channel = channel;
        r.amountCents = amountCents;
        r.status = s;
        r.channelTxnId = s == PaymentStatus.SUCCESS ? "2026" + orderId : null;
        r.createdAtMs = updatedAtMs;
        r.updatedAtMs = updatedAtMs;
        return r;
    }
}
