package io.paystream.state.reconcile;

/**
 * What a bill's accepted lines add up to, in the terms of {@link BillSummary}, gathered line by line
 * (a file is never held whole; a keyed function can keep this as state per file).
 */
public class BillTally {
    public long lineCount;
    public long paymentCount;
    public long refundCount;
    public long paymentAmountFen;
    public long refundAmountFen;
    public long paymentSettledFen;
    public long refundSettledFen;
    /** Lines of the file the parser rejected. */
    public int rejectedLines;

    public BillTally() {}

    /** Counts a line the parser rejected (the caller dead-letters it). */
    public void reject() {
        rejectedLines++;
    }

    public void add(BillLine line) {
        lineCount++;
        if (line.kind == BillLineKind.REFUND) {
            refundCount++;
            refundAmountFen += line.amountFen;
            refundSettledFen += line.settledFen;
        } else {
            paymentCount++;
            paymentAmountFen += line.amountFen;
            paymentSettledFen += line.settledFen;
        }
    }
}
