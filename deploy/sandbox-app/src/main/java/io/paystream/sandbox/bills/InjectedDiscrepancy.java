package io.paystream.sandbox.bills;

import io.paystream.functions.reconcile.Reconciliation;
import io.paystream.functions.reconcile.SummaryCheck;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.ReconcileClass;
import io.paystream.state.shop.PaymentChannel;
import java.time.LocalDate;

/**
 * A discrepancy the sandbox put into a bill on purpose, and what the reconciliation job must find
 * for it: {@link #expectedId} is the id of its {@code ReconcileFinding} ({@link
 * Reconciliation#findingId}) or, for a wrong total, of its {@code SummaryMismatch} ({@link
 * SummaryCheck#mismatchId}, figure {@code paymentSettledFen}).
 *
 * @param channel   the bill's channel
 * @param day       the bill day (0 from the sandbox's traffic start)
 * @param billDate  the bill's date
 * @param file      the bill's file name in the bills directory
 * @param kind      what was injected
 * @param paymentId the payment the line is (or, for LOCAL_ONLY, was) about; null for a wrong total
 * @param detail    what was done, for a person
 */
public record InjectedDiscrepancy(
        PaymentChannel channel,
        long day,
        LocalDate billDate,
        String file,
        Kind kind,
        String paymentId,
        String expectedId,
        String detail) {

    /** The classes of discrepancy the sandbox injects. */
    public enum Kind {
        /** A paid line for a payment id the shop never issued. */
        CHANNEL_ONLY(ReconcileClass.CHANNEL_ONLY),
        /** A payment the channel charged and the shop has SUCCESS, left off the bill. */
        LOCAL_ONLY(ReconcileClass.LOCAL_ONLY),
        /** A line's order amount other than what was charged (the shop has SUCCESS). */
        AMOUNT_MISMATCH(ReconcileClass.AMOUNT_MISMATCH),
        /**
         * WeChat Pay: REVOKED written for a payment the shop has SUCCESS. Alipay (whose detail file
         * lists completed trades only, so it has no REVOKED): a 交易 line for a payment the channel
         * never charged (closed unpaid, or failed for good) and the shop has CLOSED or FAILED.
         */
        STATUS_MISMATCH(ReconcileClass.STATUS_MISMATCH),
        /** The bill's stated settled payment total is off by 1.00 yuan. */
        SUMMARY_MISMATCH(null);

        private final ReconcileClass reconcileClass;

        Kind(ReconcileClass reconcileClass) {
            this.reconcileClass = reconcileClass;
        }

        /** The finding class the job reports; null for {@link #SUMMARY_MISMATCH} (a SummaryMismatch). */
        public ReconcileClass reconcileClass() {
            return reconcileClass;
        }
    }

    /** The summary figure a wrong total is stated on. */
    public static final String WRONG_TOTAL_FIGURE = "paymentSettledFen";

    static InjectedDiscrepancy line(
            PaymentChannel channel, long day, LocalDate date, String file, Kind kind, String paymentId, String detail) {
        return new InjectedDiscrepancy(
                channel,
                day,
                date,
                file,
                kind,
                paymentId,
                Reconciliation.findingId(channel, BillLineKind.PAYMENT, paymentId, kind.reconcileClass()),
                detail);
    }

    static InjectedDiscrepancy wrongTotal(
            PaymentChannel channel, long day, LocalDate date, String file, String detail) {
        return new InjectedDiscrepancy(
                channel,
                day,
                date,
                file,
                Kind.SUMMARY_MISMATCH,
                null,
                SummaryCheck.mismatchId(channel, date.toString(), WRONG_TOTAL_FIGURE),
                detail);
    }
}
