package io.paystream.state.reconcile;

/** How a bill line and the shop's record of it compare. Append-only. */
public enum ReconcileClass {
    /** Both say the money moved, for the same amount. */
    MATCHED,
    /**
     * The channel charged or refunded and the shop has no such success: money taken with no order to
     * show for it (or refunded with no refund on record). The worst kind.
     */
    CHANNEL_ONLY,
    /** A success in the shop that the bill does not carry: pending for the pending days, then alerted. */
    LOCAL_ONLY,
    /** Both say the money moved, for different amounts. */
    AMOUNT_MISMATCH,
    /** The bill and the shop disagree on whether the money moved (the bill says paid, the shop CLOSED). */
    STATUS_MISMATCH
}
