package io.paystream.state.payments;

/**
 * Where a payment is in the lost-payment check ({@link PaymentWatch#phase}). Each phase says what
 * {@link PaymentWatch#lastActionAt} means and which timer the payment waits for. New values are
 * only ever appended (the state stores the ordinal).
 */
public enum PaymentPhase {
    /**
     * Notifications came before the payment row (CDC lags the channel): they wait in the
     * awaiting-row list until {@code lastActionAt}, are then alerted as UNKNOWN_PAYMENT and kept
     * (a stalled binlog reader delivers the row late) until {@code rememberFor} after they came.
     */
    AWAITING_ROW,
    /**
     * PAYING, re-queries on schedule: {@code nextAttempt} is the next re-query (after the last one,
     * the lost-payment alert); {@code lastActionAt} is when the last re-query went out (0: none yet).
     */
    REQUERYING,
    /**
     * Settled, alerted, or not paying: kept to match notifications, deduplicate resends and absorb
     * replayed rows until {@code rememberFor} after {@code lastActionAt}, its last change.
     */
    REMEMBERED
}
