package io.paystream.state.reconcile;

import io.paystream.state.shop.PaymentChannel;

/**
 * A total a bill states about itself that its own lines do not add up to: a truncated or altered
 * file, or lines the parser rejected. Its {@link #id} names the file's day and the figure, so a
 * re-read file gives the same id.
 */
public class SummaryMismatch {
    /** Beside {@link ReconcileFinding#findingClass} on {@code payment.reconciliation}: always this. */
    public static final String FINDING_CLASS = "SUMMARY_MISMATCH";

    public String id;
    /** {@value #FINDING_CLASS}: how a consumer of {@code payment.reconciliation} tells it from a finding. */
    public String findingClass = FINDING_CLASS;

    public PaymentChannel channel;
    public String billDate;
    public String sourceFile;
    /** The figure, in the summary's terms: {@code lineCount}, {@code paymentSettledFen}, ... */
    public String figure;
    /** What the file states; null when the file has no summary at all. */
    public Long stated;
    /** What the file's accepted lines add up to. */
    public long computed;
    /** Lines of the file the parser rejected: they explain a difference, they do not excuse it. */
    public int rejectedLines;

    public SummaryMismatch() {}

    @Override
    public String toString() {
        return "SummaryMismatch{" + id + " stated=" + stated + ", computed=" + computed + ", rejectedLines="
                + rejectedLines + '}';
    }
}
