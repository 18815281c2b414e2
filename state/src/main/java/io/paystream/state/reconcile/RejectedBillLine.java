package io.paystream.state.reconcile;

/**
 * A bill line the parser could not use: where it is, why, and the line as read, so the caller can
 * dead-letter it and a person can fix or replay it. Line 0 stands for the file as a whole (a zip
 * without a detail file, a header without the columns the parser needs).
 */
public class RejectedBillLine {
    public String sourceFile;
    public int lineNumber;
    public String reason;
    public String raw;

    public RejectedBillLine() {}

    public RejectedBillLine(String sourceFile, int lineNumber, String reason, String raw) {
        this.sourceFile = sourceFile;
        this.lineNumber = lineNumber;
        this.reason = reason;
        this.raw = raw;
    }

    @Override
    public String toString() {
        return "RejectedBillLine{" + sourceFile + ':' + lineNumber + ' ' + reason + ", raw=" + raw + '}';
    }
}
