package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.reconcile.RejectedBillLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a WeChat Pay v3 trade bill ({@code GET /v3/bill/tradebill}, {@code bill_type=ALL}, the
 * downloaded stream, un-gzipped): a detail header, the detail lines (every field prefixed with a
 * backtick), a summary header starting with 总交易单数 and its one row. UTF-8 (assumed: WeChat Pay
 * documents no charset for the stream), with or without a byte order mark, LF or CRLF.
 *
 * <p>A line that cannot be used is rejected with its number and the parser goes on; only an I/O
 * error of the stream itself is thrown. A header without the needed columns makes the whole file
 * unusable: it is rejected (line 1) and nothing else is read.
 */
public final class WechatTradeBillParser {
    /** Where the parser is in the file. */
    private enum Part {
        HEADER,
        DETAILS,
        SUMMARY_ROW,
        AFTER_SUMMARY
    }

    private final String billDate;
    private final String sourceFile;
    private final BillSink sink;
    private final List<String> fields = new ArrayList<>(32);
    private Part part = Part.HEADER;
    private WechatBillColumns columns;
    private String summaryHeader;

    private WechatTradeBillParser(String billDate, String sourceFile, BillSink sink) {
        this.billDate = billDate;
        this.sourceFile = sourceFile;
        this.sink = sink;
    }

    /** Parses the bill of {@code billDate} ({@code yyyy-MM-dd}) read from {@code sourceFile} into {@code sink}. */
    public static void parse(InputStream in, String billDate, String sourceFile, BillSink sink) throws IOException {
        new WechatTradeBillParser(billDate, sourceFile, sink)
                .read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
    }

    private void read(BufferedReader reader) throws IOException {
        int number = 0;
        String raw;
        while ((raw = reader.readLine()) != null) {
            number++;
            String line = number == 1 ? BillFields.withoutBom(raw) : raw;
            if (line.isBlank()) {
                continue;
            }
            try {
                if (!accept(line, number)) {
                    return;
                }
            } catch (IllegalArgumentException e) {
                sink.rejected(new RejectedBillLine(sourceFile, number, e.getMessage(), raw));
            }
        }
        if (part == Part.SUMMARY_ROW) {
            sink.rejected(new RejectedBillLine(sourceFile, number, "summary header without its row", ""));
        }
    }

    /** Takes one non-blank line; false when the rest of the file cannot be read. */
    private boolean accept(String line, int number) {
        switch (part) {
            case HEADER:
                try {
                    columns = WechatBillColumns.of(line);
                } catch (IllegalArgumentException e) {
                    sink.rejected(new RejectedBillLine(sourceFile, number, e.getMessage(), line));
                    return false;
                }
                part = Part.DETAILS;
                return true;
            case DETAILS:
                if (line.startsWith(WechatBillColumns.SUMMARY_FIRST_COLUMN)) {
                    summaryHeader = line;
                    part = Part.SUMMARY_ROW;
                } else {
                    sink.line(detail(line, number));
                }
                return true;
            case SUMMARY_ROW:
                part = Part.AFTER_SUMMARY;
                sink.summary(summary(line, number));
                return true;
            default:
                throw new IllegalArgumentException("a line after the summary row");
        }
    }

    private BillLine detail(String line, int number) {
        split(line);
        BillLine l = columns.line(fields);
        l.billDate = billDate;
        l.sourceFile = sourceFile;
        l.lineNumber = number;
        return l;
    }

    private BillSummary summary(String line, int number) {
        split(line);
        BillSummary s = WechatBillColumns.summary(summaryHeader, fields);
        s.billDate = billDate;
        s.sourceFile = sourceFile;
        s.lineNumber = number;
        return s;
    }

    private void split(String line) {
        if (!BillFields.split(line, fields)) {
            throw new IllegalArgumentException("a quote never closed");
        }
    }
}
