package io.paystream.functions.stock;

import io.paystream.state.shop.DeductMode;
import io.paystream.state.stock.SkuLedger;
import io.paystream.state.stock.StockLevel;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * The levels {@link StockLedger} publishes (a SKU's absolute counts, on change), and the totals
 * over this subtask's SKUs behind the gauges {@code reservedUnits} and {@code soldUnits}, kept in
 * operator state so that they survive restores.
 */
final class StockLevels {
    private final ListState<long[]> totalsState;
    private long reservedTotal;
    private long soldTotal;
    private Counter published;

    private StockLevels(ListState<long[]> totalsState) {
        this.totalsState = totalsState;
    }

    /** The totals as the last checkpoint left them. */
    static StockLevels restore(OperatorStateStore store) throws Exception {
        StockLevels levels = new StockLevels(
                store.getListState(new ListStateDescriptor<>("ledger-totals", TypeInformation.of(long[].class))));
        // After a rescale a subtask may get several old subtasks' totals: their sum over all
        // subtasks is still the job's total, which is what the status line shows.
        for (long[] t : levels.totalsState.get()) {
            levels.reservedTotal += t[0];
            levels.soldTotal += t[1];
        }
        return levels;
    }

    void registerMetrics(MetricGroup metrics) {
        published = metrics.counter("stockLevelsPublished");
        metrics.gauge("reservedUnits", () -> reservedTotal);
        metrics.gauge("soldUnits", () -> soldTotal);
    }

    void snapshotTotals() throws Exception {
        totalsState.update(List.of(new long[] {reservedTotal, soldTotal}));
    }

    void publishIfChanged(SkuLedger l, long skuId, long now, Collector<StockLevel> out) {
        if (l.reserved() != l.publishedReserved || l.paidUnits != l.publishedSold) {
            publish(l, skuId, now, out);
        }
    }

    void publish(SkuLedger l, long skuId, long now, Collector<StockLevel> out) {
        long reserved = l.reserved();
        reservedTotal += reserved - l.publishedReserved;
        soldTotal += l.paidUnits - l.publishedSold;
        l.publishedReserved = reserved;
        l.publishedSold = l.paidUnits;
        StockLevel s = new StockLevel();
        s.skuId = skuId;
        s.total = l.stock;
        s.reserved = reserved;
        s.sold = l.paidUnits;
        s.available = l.stock - reserved - l.paidUnits;
        s.oversold = Math.max(0, l.paidUnits - l.stock);
        s.mode = (l.mode == null ? DeductMode.ORDER : l.mode).name();
        s.version = ++l.revision;
        s.updatedAt = now;
        out.collect(s);
        published.inc();
    }
}
