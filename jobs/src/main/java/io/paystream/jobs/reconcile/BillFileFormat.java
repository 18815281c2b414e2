package io.paystream.jobs.reconcile;

import io.paystream.state.reconcile.BillRecord;
import io.paystream.state.shop.PaymentChannel;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;

/**
 * One channel's bill files as {@link BillRecord}s: each file is read whole by one reader (a zip and
 * a bill's closing totals cannot be split), in order, ending with its summary mismatches and an
 * END_OF_BILL. The position checkpointed is the number of records handed out; a restored reader
 * parses the file again from its start (re-adding the totals) and hands out only the rest.
 */
final class BillFileFormat implements BulkFormat<BillRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    private final PaymentChannel channel;

    BillFileFormat(PaymentChannel channel) {
        this.channel = channel;
    }

    @Override
    public Reader<BillRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new BillFileReader(channel, split, 0);
    }

    @Override
    public Reader<BillRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long handedOut = split.getReaderPosition()
                .map(CheckpointedPosition::getRecordsAfterOffset)
                .orElse(0L);
        return new BillFileReader(channel, split, handedOut);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<BillRecord> getProducedType() {
        return TypeInformation.of(BillRecord.class);
    }
}
