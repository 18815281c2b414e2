package io.paystream.functions.reconcile;

import io.paystream.functions.SafetyTtl;
import io.paystream.state.contract.Alert;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.SummaryMismatch;
import java.time.LocalDate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A bill's totals that its lines do not add up to, published once per figure of a channel's day
 * (keyed by {@link SummaryMismatch#id}), with a {@code RECONCILE_SUMMARY_MISMATCH} alert: the same
 * file read again (a restart, a copy, a re-download) states the same. Remembered, like the lines'
 * keys, until {@code reconcile.keep-days} after the day's last pending day (bill time).
 */
public class SummaryMismatchOnce extends KeyedProcessFunction<String, SummaryMismatch, SummaryMismatch> {
    /** Name of the keyed state, also for a savepoint report. */
    public static final String PUBLISHED_STATE = "summary-mismatch-published";

    public static final OutputTag<Alert> ALERTS =
            new OutputTag<>("summary-mismatch-alerts", TypeInformation.of(Alert.class));

    private static final long serialVersionUID = 1L;

    private final BillCalendar calendar;
    private final int forgetAfterDays;
    private final java.time.Duration stateTtl;

    transient ValueState<Boolean> published;
    transient Counter mismatches;
    transient Counter rereads;

    SummaryMismatchOnce(BillReconciliationBuilder b) {
        this.calendar = b.calendar;
        this.forgetAfterDays = b.pendingDays + b.keepDays;
        this.stateTtl = b.stateTtl();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>(PUBLISHED_STATE, Types.BOOLEAN);
        d.enableTimeToLive(SafetyTtl.of(stateTtl)); // a safety net behind the day's own timer
        published = getRuntimeContext().getState(d);
        mismatches = getRuntimeContext().getMetricGroup().counter("billSummaryMismatches");
        rereads = getRuntimeContext().getMetricGroup().counter("billSummaryRereads");
    }

    @Override
    public void processElement(SummaryMismatch m, Context ctx, Collector<SummaryMismatch> out) throws Exception {
        if (published.value() != null) {
            rereads.inc(); // the same day's bill read again
            return;
        }
        out.collect(m);
        ctx.output(ALERTS, ReconcileMessages.alert(m, ctx.timerService().currentProcessingTime()));
        mismatches.inc();
        published.update(true);
        ctx.timerService()
                .registerEventTimeTimer(
                        calendar.endOf(LocalDate.parse(m.billDate).plusDays(forgetAfterDays)));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SummaryMismatch> out) {
        published.clear(); // the day is past every bill that could restate it
    }
}
