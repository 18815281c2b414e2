package io.paystream.functions.testing;

/**
 * Named fixtures of the refund functions' harness tests, e.g.
 * {@code refund("R1").ofPayment("P1").refunding().at(T0).version(10)} or
 * {@code refundNotice("R1").ofPayment("P1").success().byCallback()}.
 */
public final class RefundFixtures {
    private RefundFixtures() {}

    /** A {@code refunds} row: ALIPAY, 10.00 of payment P1 (order 7), CREATED until told otherwise. */
    public static RefundFixture refund(String refundId) {
        return new RefundFixture(refundId);
    }

    /**
     * A verified notification of the refund: an ALIPAY callback about payment P1 stating 10.00,
     * without an outcome until told otherwise.
     */
    public static RefundNotificationFixture refundNotice(String refundId) {
        return new RefundNotificationFixture(refundId);
    }

    /** A refund's published outcome, as the refund watch emits it: SUCCESS of 10.00 of payment P1 until told otherwise. */
    public static RefundOutcomeFixture refundOutcome(String refundId) {
        return new RefundOutcomeFixture(refundId);
    }
}
