package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.reconcile.BillTally;
import io.paystream.state.reconcile.SummaryMismatch;
import io.paystream.state.shop.PaymentChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A bill's stated totals against what its accepted lines add up to. Each figure the file states and
 * its lines do not reach is one {@link SummaryMismatch}; a file that states no totals at all is one
 * too ({@code figure} "summary": a truncated download looks like that). Rejected lines are not added
 * back: the totals then differ, and the mismatch says how many lines were rejected.
 */
public final class SummaryCheck {
    private SummaryCheck() {}

    /** The mismatches of one file; {@code summary} is null when the file stated none. */
    public static List<SummaryMismatch> check(
            PaymentChannel channel, String billDate, String sourceFile, BillSummary summary, BillTally tally) {
        List<SummaryMismatch> out = new ArrayList<>();
        Context c = new Context(channel, billDate, sourceFile, tally, out);
        if (summary == null) {
            c.mismatch("summary", null, tally.lineCount);
            return out;
        }
        c.compare("lineCount", summary.lineCount, tally.lineCount);
        c.compare("paymentCount", summary.paymentCount, tally.paymentCount);
        c.compare("refundCount", summary.refundCount, tally.refundCount);
        c.compare("paymentAmountFen", summary.paymentAmountFen, tally.paymentAmountFen);
        c.compare("refundAmountFen", summary.refundAmountFen, tally.refundAmountFen);
        c.compare("paymentSettledFen", summary.paymentSettledFen, tally.paymentSettledFen);
        c.compare("refundSettledFen", summary.refundSettledFen, tally.refundSettledFen);
        return out;
    }

    /**
     * The id of a file's mismatch on one figure: a channel has one bill a day, so the day and the
     * figure name it, and a re-read (or re-downloaded) file gives the same id.
     */
    public static String mismatchId(PaymentChannel channel, String billDate, String figure) {
        return "recon-summary:" + channel + ":" + billDate + ":" + figure;
    }

    private static final class Context {
        final PaymentChannel channel;
        final String billDate;
        final String sourceFile;
        final BillTally tally;
        final List<SummaryMismatch> out;

        Context(
                PaymentChannel channel,
                String billDate,
                String sourceFile,
                BillTally tally,
                List<SummaryMismatch> out) {
            this.channel = channel;
            this.billDate = billDate;
            this.sourceFile = sourceFile;
            this.tally = tally;
            this.out = out;
        }

        void compare(String figure, Long stated, long computed) {
            if (stated != null && stated != computed) {
                mismatch(figure, stated, computed);
            }
        }

        void mismatch(String figure, Long stated, long computed) {
            SummaryMismatch m = new SummaryMismatch();
            m.id = mismatchId(channel, billDate, figure);
            m.channel = channel;
            m.billDate = billDate;
            m.sourceFile = sourceFile;
            m.figure = figure;
            m.stated = stated;
            m.computed = computed;
            m.rejectedLines = tally.rejectedLines;
            out.add(m);
        }
    }
}
