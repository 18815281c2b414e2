package io.paystream.functions.testing;

import io.paystream.state.contract.Money;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundOutcome;
import io.paystream.state.refunds.RefundStatus;

/** A refund's outcome on {@code refund.results}; see {@link RefundFixtures#refundOutcome}. */
public final class RefundOutcomeFixture {
    private final String refundId;
    private String paymentId = "P1";
    private long orderId = 7;
    private RefundStatus status = RefundStatus.SUCCESS;
    private long amountCents = 1000;

    RefundOutcomeFixture(String refundId) {
        this.refundId = refundId;
    }

    public RefundOutcomeFixture ofPayment(String paymentId) {
        this.paymentId = paymentId;
        return this;
    }

    public RefundOutcomeFixture succeeded() {
        this.status = RefundStatus.SUCCESS;
        return this;
    }

    public RefundOutcomeFixture failed() {
        this.status = RefundStatus.FAILED;
        return this;
    }

    public RefundOutcomeFixture amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    public RefundOutcome build() {
        RefundOutcome o = new RefundOutcome();
        o.outcomeId = RefundOutcome.outcomeId(refundId, status);
        o.refundId = refundId;
        o.paymentId = paymentId;
        o.orderId = orderId;
        o.channel = "ALIPAY";
        o.status = status.name();
        o.amount = Money.yuan(amountCents);
        o.refundedAt = status == RefundStatus.SUCCESS ? 1_000_500L : null;
        o.source = RefundNotification.CALLBACK;
        o.verifiedAt = 1_000_600L;
        return o;
    }
}
