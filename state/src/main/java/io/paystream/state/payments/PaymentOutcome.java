package io.paystream.state.payments;

/** A payment's verified outcome, published once ({@code payment.results}, docs/contract.md). */
public class PaymentOutcome {
    public String paymentId;
    public long orderId;
    public String channel;
    public String channelTxnId;
    /** Exact decimal, yuan. */
    public String amount;
    /** SUCCESS, FAILED or CLOSED. */
    public String status;

    public Long paidAt;
    /** CALLBACK or QUERY: what proved it. */
    public String source;

    /**
     * When the channel's statement reached the shop: the gateway received the notification, or the
     * channel answered the query. A payment center tells a retried payment's attempts apart by it;
     * {@link #verifiedAt} can be much later when the job lags.
     */
    public long receivedAt;

    public long verifiedAt;

    public PaymentOutcome() {}

    @Override
    public String toString() {
        return "PaymentOutcome{" + paymentId + " " + status + " via " + source + '}';
    }
}
