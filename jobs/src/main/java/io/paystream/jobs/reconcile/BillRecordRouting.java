package io.paystream.jobs.reconcile;

import io.paystream.functions.reconcile.BillDeadLetters;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillRecord;
import io.paystream.state.reconcile.SummaryMismatch;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** A bill's records to where each goes: lines on, rejected lines to the dead letters, mismatches aside. */
final class BillRecordRouting extends ProcessFunction<BillRecord, BillLine> {
    static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("bill-dead-letters", TypeInformation.of(DeadLetter.class));
    static final OutputTag<SummaryMismatch> SUMMARY_MISMATCHES =
            new OutputTag<>("bill-summary-mismatches", TypeInformation.of(SummaryMismatch.class));

    private static final long serialVersionUID = 1L;

    private transient Counter lines;
    private transient Counter rejected;
    private transient Counter bills;

    @Override
    public void open(OpenContext openContext) {
        lines = getRuntimeContext().getMetricGroup().counter("billLines");
        rejected = getRuntimeContext().getMetricGroup().counter("billLinesRejected");
        bills = getRuntimeContext().getMetricGroup().counter("billsRead");
    }

    @Override
    public void processElement(BillRecord r, Context ctx, Collector<BillLine> out) {
        switch (r.kind) {
            case LINE:
                lines.inc();
                out.collect(r.line);
                return;
            case REJECTED:
                rejected.inc();
                ctx.output(
                        DEAD_LETTERS,
                        BillDeadLetters.of(r.rejected, ctx.timerService().currentProcessingTime()));
                return;
            case SUMMARY_MISMATCH:
                ctx.output(SUMMARY_MISMATCHES, r.mismatch);
                return;
            default:
                bills.inc(); // END_OF_BILL: it moved bill time at the source
        }
    }
}
