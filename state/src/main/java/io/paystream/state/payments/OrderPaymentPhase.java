package io.paystream.state.payments;

/**
 * Where an order is in the internal-loss check ({@link OrderPaymentWatch#phase}). Each phase says
 * what {@link OrderPaymentWatch#lastActionAt} means and which timer the order waits for. New values
 * are only ever appended (the state stores the ordinal).
 */
public enum OrderPaymentPhase {
    /**
     * A payment of the order succeeded and the order is not PAID: {@code nextAttempt} is the next
     * re-notification (after the last one, the lost-payment alert); {@code lastActionAt} is when
     * the last re-notification went out (0: none yet).
     */
    RENOTIFYING,
    /**
     * PAID, alerted, or a re-notification ended otherwise: kept as a marker that absorbs late and
     * replayed rows until the retention after {@code lastActionAt}, when it ended.
     */
    REMEMBERED
}
