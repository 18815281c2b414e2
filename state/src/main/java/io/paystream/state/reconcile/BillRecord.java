package io.paystream.state.reconcile;

import io.paystream.state.shop.PaymentChannel;

/**
 * What reading a bill file gives, in the file's order: its lines, the lines that could not be used,
 * the totals its lines do not add up to, and last the end of the bill (after which the bill's day
 * counts as read). One of {@link #line}, {@link #rejected}, {@link #mismatch} is set, as {@link
 * #kind} says; an END_OF_BILL has none.
 */
public class BillRecord {
    /** What a {@link BillRecord} carries. Append-only. */
    public enum Kind {
        LINE,
        REJECTED,
        SUMMARY_MISMATCH,
        END_OF_BILL
    }

    public Kind kind;
    public PaymentChannel channel;
    /** The bill's day, {@code yyyy-MM-dd}. */
    public String billDate;

    public BillLine line;
    public RejectedBillLine rejected;
    public SummaryMismatch mismatch;

    public BillRecord() {}

    public static BillRecord line(BillLine line) {
        BillRecord r = of(Kind.LINE, line.channel, line.billDate);
        r.line = line;
        return r;
    }

    public static BillRecord rejected(PaymentChannel channel, String billDate, RejectedBillLine rejected) {
        BillRecord r = of(Kind.REJECTED, channel, billDate);
        r.rejected = rejected;
        return r;
    }

    public static BillRecord mismatch(SummaryMismatch mismatch) {
        BillRecord r = of(Kind.SUMMARY_MISMATCH, mismatch.channel, mismatch.billDate);
        r.mismatch = mismatch;
        return r;
    }

    public static BillRecord endOfBill(PaymentChannel channel, String billDate) {
        return of(Kind.END_OF_BILL, channel, billDate);
    }

    private static BillRecord of(Kind kind, PaymentChannel channel, String billDate) {
        BillRecord r = new BillRecord();
        r.kind = kind;
        r.channel = channel;
        r.billDate = billDate;
        return r;
    }

    @Override
    public String toString() {
        return "BillRecord{" + kind + ' ' + channel + ' ' + billDate + ' '
                + (line != null ? line : rejected != null ? rejected : mismatch != null ? mismatch : "") + '}';
    }
}
