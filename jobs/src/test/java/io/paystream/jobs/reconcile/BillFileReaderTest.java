package io.paystream.jobs.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.reconcile.BillRecord;
import io.paystream.state.shop.PaymentChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BillFileReaderTest {
    @TempDir
    Path dir;

    @Test
    void aBillIsReadInFileOrderEndingWithItsMismatchesAndItsEnd() throws Exception {
        FileSourceSplit split = wechatBill();
        List<String> read = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        readAll(new BillFileReader(PaymentChannel.WECHAT, split, 0), read, positions);
        assertThat(read)
                .containsExactly(
                        "LINE P-1",
                        "LINE P-2",
                        "LINE P-3",
                        "REJECTED 5",
                        "SUMMARY_MISMATCH paymentSettledFen",
                        "END_OF_BILL 2026-11-28");
        assertThat(positions).as("records up to and with each").containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aRestoredReaderHandsOutOnlyWhatCameAfterItsPosition() throws Exception {
        FileSourceSplit split = wechatBill()
                .updateWithCheckpointedPosition(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 2));
        List<String> read = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        readAll(new BillFileFormat(PaymentChannel.WECHAT).restoreReader(null, split), read, positions);
        assertThat(read)
                .as("the totals still add up the lines handed out before")
                .containsExactly(
                        "LINE P-3", "REJECTED 5", "SUMMARY_MISMATCH paymentSettledFen", "END_OF_BILL 2026-11-28");
        assertThat(positions).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void aBatchStaysIntactWhileTheReaderReadsTheNext() throws Exception {
        // Flink's fetcher reads the next batch while the task thread still emits the last one.
        TestBills.Wechat bill = new TestBills.Wechat();
        for (int i = 1; i <= 1_500; i++) {
            bill.paid("2026-11-28 09:00:05", "P-" + i, "T" + i, "1.00", "SUCCESS");
        }
        bill.writeTo(dir, "2026-11-28");
        Path file = dir.resolve("WECHAT_2026-11-28.csv");
        BillFileReader reader = new BillFileReader(
                PaymentChannel.WECHAT,
                new FileSourceSplit(
                        "0", new org.apache.flink.core.fs.Path(file.toUri()), 0, Files.size(file), 0, Files.size(file)),
                0);
        BulkFormat.RecordIterator<BillRecord> first = reader.readBatch();
        BulkFormat.RecordIterator<BillRecord> second = reader.readBatch();
        List<String> ids = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        for (BulkFormat.RecordIterator<BillRecord> batch : List.of(first, second)) {
            RecordAndPosition<BillRecord> r;
            while ((r = batch.next()) != null) {
                ids.add(r.getRecord().line.paymentId);
                positions.add(r.getRecordSkipCount());
            }
        }
        assertThat(ids).as("both batches, each as read").isNotEmpty();
        for (int i = 0; i < ids.size(); i++) {
            assertThat(ids.get(i)).isEqualTo("P-" + (i + 1));
            assertThat(positions.get(i)).isEqualTo(i + 1L);
        }
        reader.close();
    }

    private FileSourceSplit wechatBill() throws Exception {
        new TestBills.Wechat()
                .paid("2026-11-28 09:00:05", "P-1", "T1", "1.00", "SUCCESS")
                .paid("2026-11-28 09:00:06", "P-2", "T2", "2.00", "SUCCESS")
                .paid("2026-11-28 09:00:07", "P-3", "T3", "3.00", "SUCCESS")
                .garbled("`2026-11-28 18:00:00,`oops")
                .statesAWrongTotal()
                .writeTo(dir, "2026-11-28");
        Path file = dir.resolve("WECHAT_2026-11-28.csv");
        return new FileSourceSplit(
                "0", new org.apache.flink.core.fs.Path(file.toUri()), 0, Files.size(file), 0, Files.size(file));
    }

    private static void readAll(BulkFormat.Reader<BillRecord> reader, List<String> read, List<Long> positions)
            throws Exception {
        BulkFormat.RecordIterator<BillRecord> batch;
        while ((batch = reader.readBatch()) != null) {
            RecordAndPosition<BillRecord> r;
            while ((r = batch.next()) != null) {
                BillRecord b = r.getRecord();
                read.add(b.kind + " "
                        + switch (b.kind) {
                            case LINE -> b.line.paymentId;
                            case REJECTED -> String.valueOf(b.rejected.lineNumber);
                            case SUMMARY_MISMATCH -> b.mismatch.figure;
                            default -> b.billDate;
                        });
                positions.add(r.getRecordSkipCount());
            }
            batch.releaseBatch();
        }
        reader.close();
    }
}
