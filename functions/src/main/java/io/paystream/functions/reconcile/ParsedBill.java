package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.reconcile.RejectedBillLine;
import java.util.ArrayList;
import java.util.List;

/** A whole bill in memory: its lines, its rejected lines and its summary (null: the file stated none). */
public final class ParsedBill implements BillSink {
    public final List<BillLine> lines = new ArrayList<>();
    public final List<RejectedBillLine> rejected = new ArrayList<>();
    public BillSummary summary;

    @Override
    public void line(BillLine line) {
        lines.add(line);
    }

    @Override
    public void rejected(RejectedBillLine line) {
        rejected.add(line);
    }

    @Override
    public void summary(BillSummary s) {
        summary = s;
    }
}
