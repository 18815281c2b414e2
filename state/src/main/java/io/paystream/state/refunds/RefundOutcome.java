package io.paystream.state.refunds;

/**
 * A refund's verified outcome, published once ({@code refund.results}). An output type: fields may
 * be added (nullable), consumers ignore what they do not know.
 */
public class RefundOutcome {
    /** {@code {refundId}:{status}}: each outcome of a refund is published at most once; dedupe on it. */
    public String outcomeId;

    public String refundId;
    /** The refunded payment, from the refund row (verified: a UnionPay notification does not name it). */
    public String paymentId;

    public long orderId;
    public String channel;
    /** SUCCESS, FAILED or CLOSED. */
    public String status;
    /**
     * Exact decimal, yuan (as {@code payment.results}): for SUCCESS what the channel says it
     * refunded, or the refund row's amount when the channel states none (Alipay states only the
     * payment's cumulative refund); otherwise the refund row's amount.
     */
    public String amount;
    /** The channel's id of the refund, when it gave one. */
    public String channelRefundId;
    /** SUCCESS only: when the channel refunded, epoch ms. */
    public Long refundedAt;
    /** CALLBACK or QUERY: what proved it. */
    public String source;
    /** When the channel's statement reached the shop (gateway receipt or query answer), as in payment.results. */
    public long receivedAt;
    /** When paystream accepted it. */
    public long verifiedAt;

    public RefundOutcome() {}

    public static String outcomeId(String refundId, RefundStatus status) {
        return refundId + ":" + status.name();
    }

    @Override
    public String toString() {
        return "RefundOutcome{" + outcomeId + " of " + paymentId + " " + amount + " via " + source + '}';
    }
}
