package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.reconcile.RejectedBillLine;
import io.paystream.state.shop.PaymentChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * One 业务明细 CSV of an Alipay trade bill: {@code #} lines (title, account, period, a dashed
 * "业务明细列表" rule), the header row, the detail lines (values often followed by a tab), then
 * {@code #} lines again: the end rule, the totals ({@link AlipayTotals}) and the export time.
 */
final class AlipayDetailFile {
    /** Where the reader is in the file. */
    private enum Part {
        BEFORE_HEADER,
        DETAILS,
        TOTALS,
        UNUSABLE
    }

    private final String billDate;
    private final String sourceFile;
    private final BillSink sink;
    private final List<String> fields = new ArrayList<>(32);
    private final BillSummary summary = new BillSummary();
    private Part part = Part.BEFORE_HEADER;
    private AlipayBillColumns columns;

    AlipayDetailFile(String billDate, String sourceFile, BillSink sink) {
        this.billDate = billDate;
        this.sourceFile = sourceFile;
        this.sink = sink;
        summary.channel = PaymentChannel.ALIPAY;
        summary.billDate = billDate;
        summary.sourceFile = sourceFile;
    }

    /** Reads the current zip entry to its end; the stream is left open for the next entry. */
    void read(InputStream entry) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(entry, AlipayTradeBillParser.GBK), 1 << 16);
        int number = 0;
        String raw;
        while ((raw = reader.readLine()) != null) {
            number++;
            String line = number == 1 ? BillFields.withoutBom(raw) : raw;
            if (line.isBlank() || part == Part.UNUSABLE) {
                continue;
            }
            try {
                accept(line, number);
            } catch (IllegalArgumentException e) {
                sink.rejected(new RejectedBillLine(sourceFile, number, e.getMessage(), raw));
            }
        }
        if (summary.lineNumber > 0) {
            sink.summary(summary);
        }
    }

    private void accept(String line, int number) {
        boolean comment = line.charAt(0) == '#';
        switch (part) {
            case BEFORE_HEADER:
                if (!comment) {
                    header(line);
                }
                return;
            case DETAILS:
                if (comment) {
                    part = Part.TOTALS;
                    totals(line, number);
                } else {
                    sink.line(detail(line, number));
                }
                return;
            default:
                if (!comment) {
                    throw new IllegalArgumentException("a detail line after the totals");
                }
                totals(line, number);
        }
    }

    private void header(String line) {
        try {
            columns = AlipayBillColumns.of(line);
            part = Part.DETAILS;
        } catch (IllegalArgumentException e) {
            part = Part.UNUSABLE; // the rest cannot be read: rejected once, here
            throw e;
        }
    }

    private BillLine detail(String line, int number) {
        if (!BillFields.split(line, fields)) {
            throw new IllegalArgumentException("a quote never closed");
        }
        BillLine l = columns.line(fields);
        l.billDate = billDate;
        l.sourceFile = sourceFile;
        l.lineNumber = number;
        return l;
    }

    private void totals(String line, int number) {
        if (AlipayTotals.read(line, summary) && summary.lineNumber == 0) {
            summary.lineNumber = number;
        }
    }
}
