package io.paystream.functions.reconcile;

import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.reconcile.RejectedBillLine;

/** A rejected bill line on its way to {@code paystream.dlq}: the source names the file and the line. */
public final class BillDeadLetters {
    private BillDeadLetters() {}

    public static DeadLetter of(RejectedBillLine rejected, long nowMs) {
        return new DeadLetter(
                "bill:" + rejected.sourceFile + ":" + rejected.lineNumber, rejected.reason, rejected.raw, nowMs);
    }
}
