package io.paystream.state.payments;

import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;

/**
 * What the lost-payment check keeps per payment while it is PAYING: flat and small (about 55
 * bytes), because a busy shop has many payments open at once. Its {@link #phase} says where the
 * payment is; after it settles only {@code status}, {@code version} and the published outcomes
 * matter, as a short-lived marker that absorbs replayed rows and resent callbacks.
 */
public class PaymentWatch {
    public long orderId;
    public PaymentChannel channel;
    public long amountCents;
    /** The payment row's last known status. */
    public PaymentStatus status;
    /** Binlog version of the newest row applied; older or equal rows are replays (-1 while AWAITING_ROW). */
    public long version = -1;
    /** The row's time of entering PAYING: origin of the schedule and part of every command id. */
    public long payingSince;
    /**
     * While REQUERYING: the next re-query to emit (1-based); past the schedule's last one, the
     * lost-payment alert is next. Meaningless in the other phases.
     */
    public int nextAttempt;
    /**
     * What it means depends on the {@link #phase}: AWAITING_ROW, when the notifications stop
     * waiting for the row; REQUERYING, when the last re-query went out (the answer timeout runs
     * from there; 0: none yet); REMEMBERED, the payment's last change (its retention runs from
     * there). Read it through the phase's accessor.
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

    /**
     * Where the payment is. Added in 0.3 (state evolution): a payment restored from an older
     * savepoint has none, and {@link #phase()} derives it from the fields older versions kept.
     */
    public PaymentPhase phase;

    /**
     * AWAITING_ROW: the waiting notifications were alerted as UNKNOWN_PAYMENT (the row did not come
     * within the row wait) and are kept, until {@link #rowWaitEndsAt()}, for a row that is only late.
     * Added in 0.4 (state evolution: false for state from older savepoints, as it was then).
     */
    public boolean unknownPaymentAlerted;

    public PaymentWatch() {}

    /** A watch for notifications that came before their row: they wait until {@code waitUntil}. */
    public static PaymentWatch awaitingRow(long waitUntil) {
        PaymentWatch w = new PaymentWatch();
        w.phase = PaymentPhase.AWAITING_ROW;
        w.lastActionAt = waitUntil;
        return w;
    }

    /**
     * The payment's phase; for state restored from before the field existed (null), derived once
     * from what older versions encoded in sentinels: no row yet ({@code version} -1), a running
     * schedule (PAYING with {@code nextAttempt} above 0), else remembered.
     */
    public PaymentPhase phase() {
        if (phase == null) {
            phase = derivedPhase();
        }
        return phase;
    }

    private PaymentPhase derivedPhase() {
        if (version < 0) {
            return PaymentPhase.AWAITING_ROW;
        }
        return status == PaymentStatus.PAYING && nextAttempt > 0 ? PaymentPhase.REQUERYING : PaymentPhase.REMEMBERED;
    }

    public boolean isAwaitingRow() {
        return phase() == PaymentPhase.AWAITING_ROW;
    }

    public boolean isRequerying() {
        return phase() == PaymentPhase.REQUERYING;
    }

    /** AWAITING_ROW: when the notifications are alerted as unknown, then (once alerted) forgotten. */
    public long rowWaitEndsAt() {
        return lastActionAt;
    }

    /** REQUERYING: when the last re-query went out (0: none yet). */
    public long lastRequeryAt() {
        return lastActionAt;
    }

    /** REMEMBERED: the payment's last change; it is forgotten {@code rememberFor} later. */
    public long lastChangeAt() {
        return lastActionAt;
    }
}
