package io.paystream.state.refunds;

/**
 * Where a refund is in the refund watch ({@link RefundWatch#phase}). Each phase says what
 * {@link RefundWatch#lastActionAt} means and which timer the refund waits for. New values are only
 * ever appended (the state stores the ordinal).
 */
public enum RefundPhase {
    /**
     * Notifications came before the refund row (CDC lags the channel): they wait in the
     * awaiting-row list until {@code lastActionAt}, are then alerted as UNKNOWN_REFUND and kept (a
     * stalled binlog reader delivers the row late) until {@code rememberFor} after they came.
     */
    AWAITING_ROW,
    /**
     * REFUNDING, re-queries on schedule: {@code nextAttempt} is the next re-query (after the last
     * one, the lost-refund alert); {@code lastActionAt} is when the last re-query went out (0: none yet).
     */
    REQUERYING,
    /**
     * Settled, alerted, or not refunding: kept to match notifications, deduplicate resends and
     * absorb replayed rows until {@code rememberFor} after {@code lastActionAt}, its last change.
     */
    REMEMBERED
}
