package io.paystream.state.reconcile;

/**
 * What a bill line says happened to the money, read from the channel's own status words by the
 * parser (the words themselves stay in {@link BillLine#tradeStatus}). Append-only.
 */
public enum BillOutcome {
    /** The money moved: a payment paid, a refund refunded. */
    SUCCESS,
    /**
     * Accepted, not yet finished when the bill was written. WeChat Pay writes a refund on the bill
     * of the day it accepted it and never updates the line (its refund status is a snapshot), so
     * reconciliation treats this like SUCCESS; the stuck-refund watch covers the rest.
     */
    IN_PROGRESS,
    /** On the bill but the money did not move, or moved back: a revoked payment, a closed refund. */
    NOT_SUCCESS
}
