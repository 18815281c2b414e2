package io.paystream.jobs.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out a channel's bill files earliest day first. Reading a day's bill moves bill time (the
 * watermark) to its end, so a later day read first would end earlier days' holds before their own
 * bills were read (Flink's default assigner hands out the last file found first).
 */
final class BillDayOrder implements FileSplitAssigner {
    /** By file name: {@code CHANNEL_yyyy-MM-dd...} sorts by day; then by path, for a stable order. */
    static final Comparator<FileSourceSplit> EARLIEST_DAY_FIRST = Comparator.comparing(
                    (FileSourceSplit s) -> s.path().getName())
            .thenComparing(s -> s.path().toString());

    private final PriorityQueue<FileSourceSplit> splits = new PriorityQueue<>(EARLIEST_DAY_FIRST);

    BillDayOrder(Collection<FileSourceSplit> initial) {
        splits.addAll(initial);
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(splits.poll());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> newSplits) {
        splits.addAll(newSplits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(splits);
    }
}
