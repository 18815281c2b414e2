package io.paystream.functions.callbacks;

import io.paystream.state.contract.Alert;
import io.paystream.state.payments.PaymentNotification;

/** What verification made of one record: accepted, rejected (an alert) or malformed (a dead letter). */
public final class Verdict {
    public enum Kind {
        ACCEPTED,
        REJECTED,
        MALFORMED
    }

    public final Kind kind;
    public final PaymentNotification notification;
    /** For REJECTED: the alert type (FORGED_CALLBACK, STALE_CALLBACK, ...). */
    public final String alertType;

    public final String reason;
    /** The payment the record is about, when its signature verified (accepted, or rejected as stale). */
    public final String paymentId;
    /** For a forged record: the payment id it names, read without trusting it; null if unreadable. */
    public final String claimedPaymentId;
    /** For REJECTED: the record's notification id as it names it (unverified), if it names one. */
    public final String notifyId;

    private Verdict(
            Kind kind,
            PaymentNotification n,
            String alertType,
            String reason,
            String paymentId,
            String claimedPaymentId,
            String notifyId) {
        this.kind = kind;
        this.notification = n;
        this.alertType = alertType;
        this.reason = reason;
        this.paymentId = paymentId;
        this.claimedPaymentId = claimedPaymentId;
        this.notifyId = notifyId;
    }

    public static Verdict accepted(PaymentNotification n) {
        return new Verdict(Kind.ACCEPTED, n, null, null, n.paymentId, null, n.notifyId);
    }

    /** FORGED_CALLBACK: nothing in the record is trusted, the payment id it names is only claimed. */
    public static Verdict forged(String reason, String claimedPaymentId, String notifyId) {
        return new Verdict(Kind.REJECTED, null, Alert.FORGED_CALLBACK, reason, null, claimedPaymentId, notifyId);
    }

    /** STALE_CALLBACK: genuinely signed, so the payment id is the channel's word; only its time is off. */
    public static Verdict stale(String reason, String paymentId, String notifyId) {
        return new Verdict(Kind.REJECTED, null, Alert.STALE_CALLBACK, reason, paymentId, null, notifyId);
    }

    public static Verdict malformed(String reason) {
        return new Verdict(Kind.MALFORMED, null, null, reason, null, null, null);
    }

    @Override
    public String toString() {
        return kind
                + (reason == null ? "" : " (" + alertType + ": " + reason + ")")
                + (claimedPaymentId == null ? "" : " claims " + claimedPaymentId);
    }
}
