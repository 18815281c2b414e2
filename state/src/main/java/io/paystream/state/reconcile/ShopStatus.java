package io.paystream.state.reconcile;

import io.paystream.state.shop.PaymentStatus;

/**
 * The shop's status of a payment or refund, in the words both share: payments are PAYING and refunds
 * REFUNDING while the channel works on them, both IN_PROGRESS here. Append-only.
 */
public enum ShopStatus {
    CREATED,
    IN_PROGRESS,
    SUCCESS,
    FAILED,
    CLOSED;

    public static ShopStatus of(PaymentStatus status) {
        switch (status) {
            case CREATED:
                return CREATED;
            case PAYING:
                return IN_PROGRESS;
            case SUCCESS:
                return SUCCESS;
            case FAILED:
                return FAILED;
            case CLOSED:
                return CLOSED;
            default:
                throw new IllegalArgumentException("payment status " + status);
        }
    }
}
