package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.RejectedBillLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads Alipay's trade bill download ({@code alipay.data.dataservice.bill.downloadurl.query},
 * {@code bill_type=trade}): a zip of GBK-encoded CSV files, names in GBK too. Only the detail file
 * (its name contains 业务明细 and not 汇总) is read, by {@link AlipayDetailFile}; the summary file
 * (业务明细(汇总)) adds nothing the detail file's own totals lines do not state.
 *
 * <p>Nothing malformed is thrown: a stream that is not a zip, or a zip without a detail file, is
 * one rejected line 0 naming the archive; only an I/O error of the stream itself is thrown.
 */
public final class AlipayTradeBillParser {
    static final Charset GBK = Charset.forName("GBK");

    private AlipayTradeBillParser() {}

    /** Parses the bill of {@code billDate} ({@code yyyy-MM-dd}), the zip read from {@code archive}, into {@code sink}. */
    public static void parse(InputStream zip, String billDate, String archive, BillSink sink) throws IOException {
        int detailFiles = 0;
        try {
            ZipInputStream entries = new ZipInputStream(zip, GBK);
            ZipEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                if (isDetailFile(entry.getName())) {
                    detailFiles++;
                    new AlipayDetailFile(billDate, archive + '!' + entry.getName(), sink).read(entries);
                }
            }
        } catch (ZipException | IllegalArgumentException e) {
            // IllegalArgumentException: an entry name that is not GBK (lines never throw it: each
            // detail file catches its own).
            sink.rejected(new RejectedBillLine(archive, 0, "not a readable zip: " + e.getMessage(), ""));
            return;
        }
        if (detailFiles == 0) {
            sink.rejected(new RejectedBillLine(archive, 0, "no 业务明细 file in the zip (or not a zip at all)", ""));
        }
    }

    static boolean isDetailFile(String name) {
        return !name.endsWith("/") && name.contains("业务明细") && !name.contains("汇总");
    }
}
