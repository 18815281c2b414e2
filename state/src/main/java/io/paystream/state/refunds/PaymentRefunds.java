package io.paystream.state.refunds;

import io.paystream.state.shop.PaymentChannel;

/**
 * What the refunds-exceed-payment rule keeps per payment, beside the payment's successful refunds
 * (a map state, refund id to fen): what the payment paid, as its row says, and whether the excess
 * was alerted. Kept until the payment's refund window is over ({@link #clearAt}).
 */
public class PaymentRefunds {
    /** Binlog version of the newest payment row applied (-1: no row yet, only refunds). */
    public long version = -1;
    /** The payment row says it was paid (SUCCESS, or CLOSED with the channel's transaction id). */
    public boolean paid;
    /** What the payment paid, fen (meaningful when {@link #paid}). */
    public long paidCents;

    public long orderId;
    public PaymentChannel channel;
    /** Sum of the payment's SUCCESS refunds, fen. */
    public long refundedCents;
    /** REFUND_EXCEEDS_PAYMENT was raised: once per payment. */
    public boolean alerted;
    /** The one registered clear timer: the end of the payment's refund window. */
    public long clearAt;

    public PaymentRefunds() {}
}
