package io.paystream.functions.callbacks;

import io.paystream.state.contract.Alert;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.refunds.RefundNotification;

/**
 * What verification made of one record: accepted, rejected (an alert) or malformed (a dead letter).
 * An accepted record carries either a payment notification or a refund notification, never both;
 * a rejected refund notification names the refund too, so its alert says which refund is at stake.
 */
public final class Verdict {
    public enum Kind {
        ACCEPTED,
        REJECTED,
        MALFORMED
    }

    public final Kind kind;
    /** For an accepted payment notification (null for a refund). */
    public final PaymentNotification notification;
    /** For an accepted refund notification (null for a payment). */
    public final RefundNotification refund;
    /** For REJECTED: the alert type (FORGED_CALLBACK, STALE_CALLBACK, ...). */
    public final String alertType;

    public final String reason;
    /** The payment the record is about, when its signature verified (accepted, or rejected as stale). */
    public final String paymentId;
    /** For a forged record: the payment id it names, read without trusting it; null if unreadable. */
    public final String claimedPaymentId;
    /** For a refund notification whose signature verified (accepted, or rejected as stale): its refund id. */
    public final String refundId;
    /** For a forged refund notification: the refund id it names, read without trusting it. */
    public final String claimedRefundId;
    /** For REJECTED: the record's notification id as it names it (unverified), if it names one. */
    public final String notifyId;

    private Verdict(
            Kind kind,
            PaymentNotification n,
            RefundNotification r,
            String alertType,
            String reason,
            String paymentId,
            String claimedPaymentId,
            String refundId,
            String claimedRefundId,
            String notifyId) {
        this.kind = kind;
        this.notification = n;
        this.refund = r;
        this.alertType = alertType;
        this.reason = reason;
        this.paymentId = paymentId;
        this.claimedPaymentId = claimedPaymentId;
        this.refundId = refundId;
        this.claimedRefundId = claimedRefundId;
        this.notifyId = notifyId;
    }

    public static Verdict accepted(PaymentNotification n) {
        return new Verdict(Kind.ACCEPTED, n, null, null, null, n.paymentId, null, null, null, n.notifyId);
    }

    public static Verdict acceptedRefund(RefundNotification r) {
        return new Verdict(Kind.ACCEPTED, null, r, null, null, r.paymentId, null, r.refundId, null, r.notifyId);
    }

    /** FORGED_CALLBACK: nothing in the record is trusted, the payment id it names is only claimed. */
    public static Verdict forged(String reason, String claimedPaymentId, String notifyId) {
        return forgedRefund(reason, claimedPaymentId, null, notifyId);
    }

    /** FORGED_CALLBACK of a refund notification: the refund and payment it names are only claimed. */
    public static Verdict forgedRefund(
            String reason, String claimedPaymentId, String claimedRefundId, String notifyId) {
        return new Verdict(
                Kind.REJECTED,
                null,
                null,
                Alert.FORGED_CALLBACK,
                reason,
                null,
                claimedPaymentId,
                null,
                claimedRefundId,
                notifyId);
    }

    /** STALE_CALLBACK: genuinely signed, so the payment id is the channel's word; only its time is off. */
    public static Verdict stale(String reason, String paymentId, String notifyId) {
        return staleRefund(reason, paymentId, null, notifyId);
    }

    /** STALE_CALLBACK of a refund notification: genuinely signed, so the refund and payment ids are the channel's. */
    public static Verdict staleRefund(String reason, String paymentId, String refundId, String notifyId) {
        return new Verdict(
                Kind.REJECTED, null, null, Alert.STALE_CALLBACK, reason, paymentId, null, refundId, null, notifyId);
    }

    public static Verdict malformed(String reason) {
        return new Verdict(Kind.MALFORMED, null, null, null, reason, null, null, null, null, null);
    }

    /** Whether the record is about a refund (accepted or rejected); false for payments and malformed records. */
    public boolean isRefund() {
        return refund != null || refundId != null || claimedRefundId != null;
    }

    @Override
    public String toString() {
        return kind
                + (reason == null ? "" : " (" + alertType + ": " + reason + ")")
                + (claimedPaymentId == null ? "" : " claims " + claimedPaymentId)
                + (claimedRefundId == null ? "" : " claims refund " + claimedRefundId)
                + (refund == null ? "" : " " + refund);
    }
}
