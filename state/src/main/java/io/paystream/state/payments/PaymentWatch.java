package io.paystream.state.payments;

import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;

/**
 * What the lost-payment check keeps per payment while it is PAYING: flat and small (about 50
 * bytes), because a busy shop has many payments open at once. After the payment settles only
 * {@code status} and {@code version} matter, as a short-lived marker that absorbs replayed rows.
 */
public class PaymentWatch {
    public long orderId;
    public PaymentChannel channel;
    public long amountCents;
    /** The payment row's last known status. */
    public PaymentStatus status;
    /** Binlog version of the newest row applied; older or equal rows are replays. -1: no row yet. */
    public long version = -1;
    /** The row's time of entering PAYING: origin of the schedule and part of every command id. */
    public long payingSince;
    /** Next re-query attempt to emit (1-based); maxAttempts + 1 means: waiting for the last answer. */
    public int nextAttempt;
    /**
     * When the last re-query was emitted (the answer timeout runs from there), or, once settled,
     * when it settled (the marker's retention runs from there).
     */
    public long lastActionAt;
    /**
     * Outcomes already published to payment.results, one bit per {@code PaymentStatus} ordinal:
     * each outcome of a payment is published at most once.
     */
    public int publishedOutcomes;
    /** The one registered forget timer (0: none yet); it re-arms itself while the payment changes. */
    public long forgetTimer;
    /**
     * While PAYING: how many re-queries the channel answered without an outcome yet (NOTPAY,
     * USERPAYING) since the payment entered PAYING. Tells people reading a savepoint or an alert
     * whether the channel answers at all ({@code SavepointReport}). Added in 0.2 (state evolution:
     * a payment restored from an older savepoint starts at 0, it counts the answers from then on).
     */
    public int answersWithoutOutcome;

    public PaymentWatch() {}

    public boolean isWatching() {
        return status == PaymentStatus.PAYING && nextAttempt > 0;
    }
}
