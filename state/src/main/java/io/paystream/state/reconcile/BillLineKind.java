package io.paystream.state.reconcile;

/** What a bill line records: money the channel took, or money it gave back. Append-only. */
public enum BillLineKind {
    PAYMENT,
    REFUND
}
