package io.paystream.state.payments;

import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;

/**
 * A verified notification about one payment: a channel callback whose signature, key, replay
 * window and source address checked out, or a signed query answer. Not yet matched against the
 * payment row, nor deduplicated.
 */
public class PaymentNotification {
    public static final String CALLBACK = "CALLBACK";
    public static final String QUERY = "QUERY";

    public String paymentId;
    public PaymentChannel channel;
    public String channelTxnId;
    /** What the channel says was charged, in fen. */
    public long amountCents;
    /** SUCCESS, FAILED or CLOSED; null when the channel knows no outcome yet (NOTPAY, USERPAYING). */
    public PaymentStatus status;
    /** When the user paid (SUCCESS only), epoch ms; 0 if unknown. */
    public long paidAt;
    /** {@link #CALLBACK} or {@link #QUERY}. */
    public String source;
    /** The channel's notification id, or the answered command id. */
    public String notifyId;
    /** When the gateway received it (callbacks) or the channel answered (queries). */
    public long receivedAt;

    public PaymentNotification() {}

    @Override
    public String toString() {
        return "PaymentNotification{" + source + " " + channel + " " + paymentId + " " + status + " " + amountCents
                + '}';
    }
}
