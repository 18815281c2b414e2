package io.paystream.state.payments;

import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;

/**
 * What the internal-loss check keeps per order: the order's status and, once a payment of it has
 * succeeded, that payment's facts and the re-notify schedule. Its {@link #phase} says where the
 * order is: RENOTIFYING, or REMEMBERED as a short-lived marker once it is PAID or alerted.
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
    /**
     * While RENOTIFYING: the next re-notification (1-based); maxAttempts + 1, waiting before the
     * alert. Versions before {@link #phase} wrote 0 here for REMEMBERED, and so does this one (a
     * savepoint it takes can still be read by them).
     */
    public int nextAttempt;
    /**
     * RENOTIFYING: when the last re-notification went out (0: none yet); REMEMBERED: when it ended
     * (the marker's retention runs from there). Read it through the phase's accessor.
     */
    public long lastActionAt;
    /**
     * Where the order is. Added in 0.3 (state evolution): an order restored from an older
     * savepoint has none, and {@link #phase()} derives it from the fields older versions kept.
     */
    public OrderPaymentPhase phase;

    public OrderPaymentWatch() {}

    /**
     * The order's phase; for state restored from before the field existed (null), derived once
     * from the sentinel older versions kept: a successful payment with {@code nextAttempt} above 0
     * is RENOTIFYING, anything else a marker (REMEMBERED).
     */
    public OrderPaymentPhase phase() {
        if (phase == null) {
            phase = paymentId != null && nextAttempt > 0 ? OrderPaymentPhase.RENOTIFYING : OrderPaymentPhase.REMEMBERED;
        }
        return phase;
    }

    public boolean isRenotifying() {
        return phase() == OrderPaymentPhase.RENOTIFYING;
    }

    /** RENOTIFYING: when the last re-notification went out (0: none yet). */
    public long lastRenotifyAt() {
        return lastActionAt;
    }

    /** REMEMBERED: when the re-notifications ended; the marker is forgotten the retention later. */
    public long endedAt() {
        return lastActionAt;
    }
}
