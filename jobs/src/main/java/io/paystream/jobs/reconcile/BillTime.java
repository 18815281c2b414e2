package io.paystream.jobs.reconcile;

import io.paystream.functions.reconcile.BillDates;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillRecord;
import io.paystream.state.reconcile.ShopSide;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time in the reconciliation job is bill time: a bill's records are stamped with the end of
 * its day, and the watermark moves there when the bill's END_OF_BILL has been read, that is after
 * every line of it. Read in day order ({@link BillDayOrder}), one reader per channel, a watermark
 * at the end of day D means this channel's bills up to D are read.
 */
final class BillTime {
    private BillTime() {}

    static WatermarkStrategy<BillRecord> ofBills(BillCalendar calendar) {
        return WatermarkStrategy.<BillRecord>forGenerator(ctx -> new EndOfBill(calendar))
                .withTimestampAssigner(new EndOfBillDay(calendar));
    }

    /** Stamps a bill's records with the end of its day (a record of no bill day keeps the previous stamp). */
    private static final class EndOfBillDay implements SerializableTimestampAssigner<BillRecord> {
        private static final long serialVersionUID = 1L;

        /** Every record of a file carries its date: parsed once per file, not per record. */
        private final BillDates billDates;

        EndOfBillDay(BillCalendar calendar) {
            this.billDates = new BillDates(calendar);
        }

        @Override
        public long extractTimestamp(BillRecord r, long previous) {
            return r.billDate.isEmpty() ? previous : billDates.endOf(r.billDate);
        }
    }

    /**
     * The shop's rows never hold bill time back: they say nothing of which bills were read. Their
     * watermark is the greatest there is, so where they meet a channel's bill lines the bills'
     * watermark alone counts.
     */
    static WatermarkStrategy<ShopSide> ofShopRows() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<ShopSide>() {
            private boolean emitted;

            @Override
            public void onEvent(ShopSide event, long eventTimestamp, WatermarkOutput output) {
                emitOnce(output);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                emitOnce(output);
            }

            private void emitOnce(WatermarkOutput output) {
                if (!emitted) {
                    output.emitWatermark(new Watermark(Long.MAX_VALUE));
                    emitted = true;
                }
            }
        });
    }

    private static final class EndOfBill implements WatermarkGenerator<BillRecord> {
        private final BillDates billDates;

        EndOfBill(BillCalendar calendar) {
            this.billDates = new BillDates(calendar);
        }

        @Override
        public void onEvent(BillRecord r, long timestamp, WatermarkOutput output) {
            if (r.kind == BillRecord.Kind.END_OF_BILL) {
                output.emitWatermark(new Watermark(billDates.endOf(r.billDate)));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // Only a whole bill moves bill time.
        }
    }
}
