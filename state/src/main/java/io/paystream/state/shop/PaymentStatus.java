package io.paystream.state.shop;

/** Status of a payment in the payment center ({@code shop.payments.status}). Append-only. */
public enum PaymentStatus {
    CREATED,
    PAYING,
    SUCCESS,
    FAILED,
    CLOSED;

    /** An outcome: the payment center heard from the channel, one way or the other. */
    public boolean isOutcome() {
        return this == SUCCESS || this == FAILED || this == CLOSED;
    }
}
