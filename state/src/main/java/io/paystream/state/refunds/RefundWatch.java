package io.paystream.state.refunds;

import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.RefundRowStatus;

/**
 * What the refund watch keeps per refund: flat and small, like the payment watch's
 * {@code PaymentWatch}. Its {@link #phase} says where the refund is (always set: this type has no
 * older versions to derive it for); after the refund settles only {@code status}, {@code version}
 * and the published outcomes matter, as a short-lived marker that absorbs replayed rows and resent
 * notifications.
 */
public class RefundWatch {
    /** Where the refund is; never null once the watch is stored. */
    public RefundPhase phase;

    /** The refunded payment, from the row (null while AWAITING_ROW). */
    public String paymentId;

    public long orderId;
    public PaymentChannel channel;
    /** The refund's amount from its row, fen: a notification may not claim more. */
    public long amountCents;
    /** The channel's refund id from the row, once it has one: re-query commands carry it. */
    public String channelRefundId;
    /** The refund row's last known status (null while AWAITING_ROW). */
    public RefundRowStatus status;
    /** Binlog version of the newest row applied; older or equal rows are replays (-1 while AWAITING_ROW). */
    public long version = -1;

    /** Binlog version of the row that entered REFUNDING: part of every re-query command id. */
    public long refundingVersion;
    /** The row's time of entering REFUNDING: origin of the schedule. */
    public long refundingSince;
    /** While REQUERYING: the next re-query to emit (1-based); past the schedule's last one, the alert is next. */
    public int nextAttempt;
    /**
     * What it means depends on the {@link #phase}: AWAITING_ROW, when the notifications stop
     * waiting for the row; REQUERYING, when the last re-query went out (0: none yet); REMEMBERED,
     * the refund's last change. Read it through the phase's accessor.
     */
    public long lastActionAt;
    /** While REQUERYING: re-queries the channel answered without an outcome yet (PROCESSING). */
    public int answersWithoutOutcome;

    /** Outcomes already published to refund.results, one bit per {@link RefundStatus} ordinal. */
    public int publishedOutcomes;
    /** The amount of the published SUCCESS, fen (0: none published). */
    public long refundedCents;
    /** The one registered forget timer (0: none yet); it re-arms itself while the refund changes. */
    public long forgetTimer;
    /** AWAITING_ROW: the waiting notifications were alerted as UNKNOWN_REFUND and are kept for a late row. */
    public boolean unknownRefundAlerted;

    public RefundWatch() {}

    /** A watch for notifications that came before their row: they wait until {@code waitUntil}. */
    public static RefundWatch awaitingRow(long waitUntil) {
        RefundWatch w = new RefundWatch();
        w.phase = RefundPhase.AWAITING_ROW;
        w.lastActionAt = waitUntil;
        return w;
    }

    public boolean isAwaitingRow() {
        return phase == RefundPhase.AWAITING_ROW;
    }

    public boolean isRequerying() {
        return phase == RefundPhase.REQUERYING;
    }

    /** AWAITING_ROW: when the notifications are alerted as unknown, then (once alerted) forgotten. */
    public long rowWaitEndsAt() {
        return lastActionAt;
    }

    /** REQUERYING: when the last re-query went out (0: none yet). */
    public long lastRequeryAt() {
        return lastActionAt;
    }

    /** REMEMBERED: the refund's last change; it is forgotten {@code rememberFor} later. */
    public long lastChangeAt() {
        return lastActionAt;
    }
}
