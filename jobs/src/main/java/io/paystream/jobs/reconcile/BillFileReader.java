package io.paystream.jobs.reconcile;

import io.paystream.functions.reconcile.BillParsers;
import io.paystream.functions.reconcile.BillSink;
import io.paystream.functions.reconcile.SummaryCheck;
import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillRecord;
import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.reconcile.BillTally;
import io.paystream.state.reconcile.RejectedBillLine;
import io.paystream.state.reconcile.SummaryMismatch;
import io.paystream.state.shop.PaymentChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.GZIPInputStream;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;

/**
 * Reads one bill file. The parsers push what they read into a sink as they go (a file is never
 * held whole); a parsing thread runs one and puts its records into a small bounded queue, which
 * {@link #readBatch} drains. Blocking here is allowed: Flink calls a file reader from the source's
 * fetcher thread, never from the task's main thread.
 *
 * <p>A file that cannot be read to its end (a truncated zip or gzip, an I/O error) is a rejected
 * line 0 naming it, and its totals then do not add up: the file is a dead letter to be fetched
 * again under a new name, not a reason to fail the job in a restart loop.
 */
final class BillFileReader implements BulkFormat.Reader<BillRecord> {
    private static final int BATCH = 512;
    /** The parsing thread's last element: nothing follows. */
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4 * BATCH);
    private final Thread parsing;
    /** Records handed out before a restore: parsed again, not handed out again. */
    private final long alreadyHandedOut;
    /** Records taken from the parser so far (the ones skipped included). */
    private long taken;

    private boolean ended;

    BillFileReader(PaymentChannel channel, FileSourceSplit split, long alreadyHandedOut) {
        this.alreadyHandedOut = alreadyHandedOut;
        String fileName = split.path().getName();
        Optional<BillFiles.BillFile> file = BillFiles.parse(fileName);
        this.parsing = new Thread(() -> parse(channel, split, fileName, file), "bill-parser " + fileName);
        parsing.setDaemon(true);
        parsing.start();
    }

    @Override
    public BulkFormat.RecordIterator<BillRecord> readBatch() throws IOException {
        if (ended) {
            return null;
        }
        BillRecord[] records = new BillRecord[BATCH];
        int n = 0;
        try {
            while (n < BATCH) {
                // Wait for the first record of a batch; then take what is there.
                Object next = n == 0 ? queue.take() : queue.poll();
                if (next == null) {
                    break;
                }
                if (next == END) {
                    ended = true;
                    break;
                }
                taken++;
                if (taken > alreadyHandedOut) {
                    records[n++] = (BillRecord) next;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("reading a bill was interrupted");
        }
        if (n == 0) {
            return ended ? null : readBatch(); // all skipped (a restore): go on
        }
        // A new iterator per batch: Flink hands a batch to the task thread while this reader reads
        // the next one, so reusing one would overwrite records not yet emitted (found by
        // ReconciliationIT: a bill's lines lost, its end and totals not).
        ArrayResultIterator<BillRecord> batch = new ArrayResultIterator<>();
        // The position of a record is how many of the file's records come before and with it.
        batch.set(records, n, CheckpointedPosition.NO_OFFSET, taken - n);
        return batch;
    }

    @Override
    public void close() {
        parsing.interrupt();
    }

    private void parse(
            PaymentChannel channel, FileSourceSplit split, String fileName, Optional<BillFiles.BillFile> file) {
        try {
            if (file.isEmpty() || file.get().channel() != channel) {
                // Only the channel's own bill names are listed; a bad name is a mistake worth a dead letter.
                put(BillRecord.rejected(
                        channel,
                        "",
                        new RejectedBillLine(split.path().toString(), 0, "not a " + channel + " bill file name", "")));
            } else if (!parseBill(
                    channel, split, fileName, file.get().billDate(), file.get().gzipped())) {
                return; // closed: nobody reads on
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // closed: nobody reads on
        }
    }

    /** Parses the file and hands on its records; false when the reader was closed meanwhile. */
    private boolean parseBill(
            PaymentChannel channel, FileSourceSplit split, String fileName, String billDate, boolean gzipped)
            throws InterruptedException {
        Tally tally = new Tally(channel, billDate);
        try (InputStream raw = split.path().getFileSystem().open(split.path());
                InputStream in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw) {
            BillParsers.parse(channel, in, billDate, fileName, tally);
        } catch (IOException | RuntimeException e) {
            if (e.getCause() instanceof InterruptedException
                    || Thread.currentThread().isInterrupted()) {
                return false;
            }
            tally.rejected(new RejectedBillLine(fileName, 0, "the file could not be read to its end: " + e, ""));
        }
        for (SummaryMismatch m : SummaryCheck.check(channel, billDate, fileName, tally.summary, tally.tally)) {
            put(BillRecord.mismatch(m));
        }
        put(BillRecord.endOfBill(channel, billDate));
        return true;
    }

    private void put(BillRecord r) throws InterruptedException {
        queue.put(r);
    }

    /** Hands each record on, adding up the lines for the summary check. */
    private final class Tally implements BillSink {
        final PaymentChannel channel;
        final String billDate;
        final BillTally tally = new BillTally();
        BillSummary summary;

        Tally(PaymentChannel channel, String billDate) {
            this.channel = channel;
            this.billDate = billDate;
        }

        @Override
        public void line(BillLine line) {
            tally.add(line);
            putUninterruptedly(BillRecord.line(line));
        }

        @Override
        public void rejected(RejectedBillLine rejected) {
            tally.reject();
            putUninterruptedly(BillRecord.rejected(channel, billDate, rejected));
        }

        @Override
        public void summary(BillSummary s) {
            summary = s;
        }

        private void putUninterruptedly(BillRecord r) {
            try {
                put(r);
            } catch (InterruptedException e) {
                // The reader was closed: unwind the parser (caught in parse()).
                throw new IllegalStateException("bill reader closed", e);
            }
        }
    }
}
