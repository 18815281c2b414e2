package io.paystream.state.payments;

import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;

/**
 * What the internal-loss check keeps per order: the order's status and, once a payment of it has
 * succeeded, that payment's facts and the re-notify schedule. Cleared when the order is PAID.
 */
public class OrderPaymentWatch {
    /** Null until an order row is seen. */
    public OrderStatus orderStatus;

    public long orderVersion = -1;
    /** The successful payment (null until one is seen). */
    public String paymentId;

    public PaymentChannel channel;
    public String channelTxnId;
    public long amountCents;
    /** The payment row's time of turning SUCCESS: origin of the schedule. */
    public long successAt;

    public long paymentVersion = -1;
    /** Next RENOTIFY attempt (1-based); maxAttempts + 1: waiting before the alert. */
    public int nextAttempt;
    /** When the last RENOTIFY was emitted, or, once ended, when it ended (the marker's retention). */
    public long lastActionAt;

    public OrderPaymentWatch() {}
}
