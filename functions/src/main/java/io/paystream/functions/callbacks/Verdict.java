package io.paystream.functions.callbacks;

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
    /** What the rejected record claimed to be about, if it could be read. */
    public final String paymentId;

    private Verdict(Kind kind, PaymentNotification n, String alertType, String reason, String paymentId) {
        this.kind = kind;
        this.notification = n;
        this.alertType = alertType;
        this.reason = reason;
        this.paymentId = paymentId;
    }

    public static Verdict accepted(PaymentNotification n) {
        return new Verdict(Kind.ACCEPTED, n, null, null, n.paymentId);
    }

    public static Verdict rejected(String alertType, String reason, String paymentId) {
        return new Verdict(Kind.REJECTED, null, alertType, reason, paymentId);
    }

    public static Verdict malformed(String reason) {
        return new Verdict(Kind.MALFORMED, null, null, reason, null);
    }

    @Override
    public String toString() {
        return kind + (reason == null ? "" : " (" + alertType + ": " + reason + ")");
    }
}
