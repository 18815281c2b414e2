package io.paystream.jobs.reconcile;

import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.shop.PaymentChannel;
import java.io.IOException;
import java.util.ArrayList;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

/** Lists one channel's bill files under the bills directory (sub-directories too), one split per file. */
final class BillFileEnumerator extends NonSplittingRecursiveEnumerator {
    private final PaymentChannel channel;

    BillFileEnumerator(PaymentChannel channel) {
        super(path -> !path.getName().startsWith(".") && !path.getName().startsWith("_"));
        this.channel = channel;
    }

    @Override
    protected void addSplitsForPath(FileStatus file, FileSystem fs, ArrayList<FileSourceSplit> target)
            throws IOException {
        if (file.isDir() || BillFiles.isBillOf(channel, file.getPath().getName())) {
            super.addSplitsForPath(file, fs, target);
        }
        // Else another channel's bill, or not a bill at all: not this source's.
    }
}
