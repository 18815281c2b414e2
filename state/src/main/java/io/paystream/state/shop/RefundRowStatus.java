package io.paystream.state.shop;

/** Status of a refund in the payment center ({@code shop.refunds.status}). Append-only. */
public enum RefundRowStatus {
    /** Recorded by the shop, not yet sent to the channel. */
    CREATED,
    /** Sent to the channel, no outcome yet: the refund watch re-queries it on a schedule. */
    REFUNDING,
    SUCCESS,
    FAILED,
    CLOSED;

    /** An outcome: the payment center heard from the channel, one way or the other. */
    public boolean isOutcome() {
        return this == SUCCESS || this == FAILED || this == CLOSED;
    }
}
