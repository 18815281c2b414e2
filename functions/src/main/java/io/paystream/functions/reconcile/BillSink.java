package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.reconcile.RejectedBillLine;

/**
 * Where a parser puts what it reads, line by line, so a file of millions of lines is never held in
 * memory (a Flink source can emit each as it comes). {@link ParsedBill} collects them instead.
 */
public interface BillSink {
    void line(BillLine line);

    /** A line that could not be used; the parser goes on with the next. */
    void rejected(RejectedBillLine rejected);

    /** The file's own totals; not called when the file states none. */
    void summary(BillSummary summary);
}
