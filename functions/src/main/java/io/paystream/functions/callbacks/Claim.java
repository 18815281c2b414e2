package io.paystream.functions.callbacks;

/**
 * What a rejected notification says it is about, read without trusting it (or, for a stale one,
 * genuinely signed): the payment id and, for a refund notification, the refund id. For the alert
 * only: it never changes a verdict.
 */
record Claim(String paymentId, String refundId) {
    static final Claim NONE = new Claim(null, null);

    /** A claim about a payment: the refund id stays null, so the verdict is the payment verdict of old. */
    static Claim payment(String paymentId) {
        return new Claim(paymentId, null);
    }

    Verdict forged(String reason, String notifyId) {
        return refundId == null
                ? Verdict.forged(reason, paymentId, notifyId)
                : Verdict.forgedRefund(reason, paymentId, refundId, notifyId);
    }

    /** STALE_CALLBACK: the ids come from a genuinely signed record, so they are the channel's word. */
    Verdict stale(String reason, String notifyId) {
        return refundId == null
                ? Verdict.stale(reason, paymentId, notifyId)
                : Verdict.staleRefund(reason, paymentId, refundId, notifyId);
    }
}
