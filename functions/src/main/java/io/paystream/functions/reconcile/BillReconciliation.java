package io.paystream.functions.reconcile;

import io.paystream.functions.RestoreGrace;
import io.paystream.functions.SafetyTtl;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.ReconcileClass;
import io.paystream.state.reconcile.ReconcileFinding;
import io.paystream.state.reconcile.ReconcileKeyState;
import io.paystream.state.reconcile.ShopSide;
import io.paystream.state.reconcile.ShopStatus;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reconciliation of one channel's bills with the shop, keyed by {@link Reconciliation#key} (one
 * payment or refund): the bill's line meets the shop's record, and each change of what they say
 * together is published once on {@code payment.reconciliation} ({@link ReconcileFinding}, id from
 * the facts), discrepancies also as alerts, a charge the business never applied as a
 * {@code RENOTIFY_BUSINESS} command.
 *
 * <p><b>Event time is bill time.</b> The channel's bill source stamps a bill's records with the end
 * of its day and, after its last line, moves the watermark there: a watermark at the end of day D
 * means "this channel's bills up to D are read". The shop's rows never hold the watermark back. So
 * an event-time timer at the end of a day fires exactly when that day's bill was read, whenever the
 * bill arrives (WeChat Pay's from 10:00 the next morning, a late download days later).
 *
 * <p><b>Decisions:</b>
 *
 * <ul>
 *   <li>MATCHED is published at once, also after a discrepancy (it resolves it).
 *   <li>A discrepancy is published only if it still stands {@code reconcile.shop-wait} after it was
 *       seen (processing time): the shop's rows come by CDC, which may lag behind a bill read at
 *       the same moment (a first start's snapshot, a restart).
 *   <li>A shop success no bill carried (LOCAL_ONLY) is held until the bill of its last pending day
 *       was read, then published; not for successes before {@code reconcile.first-day}, whose bills
 *       were never read.
 *   <li>The same class is never published twice for a key: a re-read bill, a replayed row, a row
 *       updated without changing what the two sides say, change nothing.
 *   <li>A key is forgotten {@code reconcile.keep-days} bill days after its last pending day; a line
 *       of a bill older than that arriving for a forgotten key is a dead letter (it cannot be
 *       reconciled without claiming CHANNEL_ONLY for what was long matched); a row of a forgotten
 *       day is ignored (counted).
 * </ul>
 */
public class BillReconciliation extends KeyedCoProcessFunction<String, BillLine, ShopSide, ReconcileFinding>
        implements CheckpointedFunction {
    /** Name of the keyed state, also for a savepoint report. */
    public static final String KEY_STATE = "reconcile-key";

    public static final OutputTag<Alert> ALERTS = new OutputTag<>("reconcile-alerts", TypeInformation.of(Alert.class));
    public static final OutputTag<OrderCommand> ORDER_COMMANDS =
            new OutputTag<>("reconcile-order-commands", TypeInformation.of(OrderCommand.class));
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("reconcile-dead-letters", TypeInformation.of(DeadLetter.class));

    private static final long serialVersionUID = 1L;

    final Reconciliation rules;
    final LocalOnlyHold hold;
    final BillCalendar calendar;
    /** The bill lines' dates as days: parsed when the date changes, not per line. */
    private final BillDates billDates;

    final LocalDate firstDay;
    final LocalDate lastDay;
    final int keepDays;
    final long shopWaitMs;
    private final java.time.Duration stateTtl;
    final long restoreGraceMs;

    /** Whether this run started from a checkpoint or savepoint (Flink says so in initializeState). */
    private transient boolean restored;

    transient RestoreGrace restoreGrace;

    transient ValueState<ReconcileKeyState> keyState;
    transient Map<ReconcileClass, Counter> published;
    transient Counter billLinesPastWindow;
    transient Counter shopRowsOutsideDays;
    transient Counter replaysIgnored;

    BillReconciliation(BillReconciliationBuilder b) {
        this.calendar = b.calendar;
        this.billDates = new BillDates(b.calendar);
        this.hold = new LocalOnlyHold(b.pendingDays, b.calendar);
        this.rules = new Reconciliation(hold);
        this.firstDay = b.first;
        this.lastDay = b.last;
        this.keepDays = b.keepDays;
        this.shopWaitMs = b.shopWait.toMillis();
        this.stateTtl = b.stateTtl();
        this.restoreGraceMs = b.restoreGrace.toMillis();
    }

    /** Options with the settings' defaults; {@code build()} checks them, naming each bad setting. */
    public static BillReconciliationBuilder builder() {
        return new BillReconciliationBuilder();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        restored = context.isRestored();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Nothing of its own to snapshot: its state is keyed.
    }

    @Override
    public void open(OpenContext openContext) {
        restoreGrace = RestoreGrace.opening(getRuntimeContext(), restored, restoreGraceMs);
        // A safety net only: the key's own timer clears it keep-days after its last pending day.
        ValueStateDescriptor<ReconcileKeyState> d = new ValueStateDescriptor<>(KEY_STATE, ReconcileKeyState.class);
        d.enableTimeToLive(SafetyTtl.of(stateTtl));
        keyState = getRuntimeContext().getState(d);
        published = new EnumMap<>(ReconcileClass.class);
        for (ReconcileClass c : ReconcileClass.values()) {
            published.put(c, getRuntimeContext().getMetricGroup().counter("reconciled" + camel(c)));
        }
        billLinesPastWindow = getRuntimeContext().getMetricGroup().counter("billLinesPastWindow");
        shopRowsOutsideDays = getRuntimeContext().getMetricGroup().counter("shopRowsOutsideReconciledDays");
        replaysIgnored = getRuntimeContext().getMetricGroup().counter("reconcileReplaysIgnored");
    }

    // --- the bill's side ------------------------------------------------------------------------

    @Override
    public void processElement1(BillLine line, Context ctx, Collector<ReconcileFinding> out) throws Exception {
        ReconcileKeyState s = keyState.value();
        if (s == null && forgotten(billDates.day(line.billDate), ctx)) {
            // Its key was forgotten (or never kept): a re-read old bill, not a new charge.
            billLinesPastWindow.inc();
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            "bill:" + line.sourceFile + ":" + line.lineNumber,
                            "the bill of " + line.billDate + " is older than the reconciled days (reconcile.keep-days"
                                    + " after reconcile.pending-days): its keys were forgotten",
                            line.toString(),
                            ctx.timerService().currentProcessingTime()));
            return;
        }
        if (s == null) {
            s = new ReconcileKeyState();
        }
        s.bill = line; // the latest reading (a re-read or corrected bill of the same day)
        decide(s, ctx, out);
    }

    // --- the shop's side ------------------------------------------------------------------------

    @Override
    public void processElement2(ShopSide side, Context ctx, Collector<ReconcileFinding> out) throws Exception {
        ReconcileKeyState s = keyState.value();
        if (s != null && s.shop != null && side.version <= s.shop.version) {
            replaysIgnored.inc(); // a replay (restore, CDC re-read) or an older change
            return;
        }
        if (side.deleted) {
            if (s == null || s.shop == null) {
                return; // nothing kept of it
            }
            s.shop = null; // the shop no longer has it: what the bill says stands alone
            decide(s, ctx, out);
            return;
        }
        if (s == null && outsideReconciledDays(calendar.dateOf(side.dayTimeMs()), ctx)) {
            // Most of a first start's snapshot: history before reconcile.first-day, or rows of
            // days already forgotten. Keeping them would only cost state.
            shopRowsOutsideDays.inc();
            return;
        }
        if (s == null) {
            s = new ReconcileKeyState();
        }
        if (s.shop != null && s.shop.status == ShopStatus.SUCCESS && side.status == ShopStatus.SUCCESS) {
            side.successAtMs = s.shop.successAtMs; // a later update of a success: it succeeded when it first did
        }
        s.shop = side;
        decide(s, ctx, out);
    }

    // --- what the two sides say ---------------------------------------------------------------------

    private void decide(ReconcileKeyState s, Context ctx, Collector<ReconcileFinding> out) throws Exception {
        if (s.bill == null && s.shop == null) {
            clear(s, ctx); // a deleted row nothing else spoke of
            return;
        }
        Optional<ReconcileFinding> finding = rules.classify(s.bill, s.shop);
        long now = ctx.timerService().currentProcessingTime();
        if (finding.isEmpty()) {
            // No bill line, and the shop's record is no success (yet): nothing to say.
            s.awaitingShop = false;
        } else if (finding.get().findingClass == ReconcileClass.LOCAL_ONLY) {
            s.awaitingShop = false;
            if (!calendar.dateOf(s.shop.successAtMs).isBefore(firstDay)) {
                long holdEnd = holdEnd(s.shop);
                if (holdEnd <= ctx.timerService().currentWatermark()) {
                    // Its last pending bill was read before its row came: no bill carries it.
                    publishIfNew(finding.get(), s, ctx, out, now);
                } else {
                    ctx.timerService().registerEventTimeTimer(holdEnd);
                }
            }
            // Else it succeeded before the first reconciled day: no bill of its day is read.
        } else if (finding.get().findingClass == s.published) {
            s.awaitingShop = false; // said already
        } else if (finding.get().findingClass == ReconcileClass.MATCHED || shopWaitMs == 0) {
            s.awaitingShop = false;
            publishIfNew(finding.get(), s, ctx, out, now);
        } else if (!s.awaitingShop) {
            // A discrepancy: confirmed if it still stands when the shop's rows had time to come.
            s.awaitingShop = true;
            s.confirmAt = now + shopWaitMs;
            ctx.timerService().registerProcessingTimeTimer(s.confirmAt);
        }
        long forgetAt = forgetAt(s);
        if (forgetAt != s.forgetAt) {
            // Registered once per move (a line and its row usually share a day): a timer is a RocksDB write.
            s.forgetAt = forgetAt;
            ctx.timerService().registerEventTimeTimer(forgetAt);
        }
        keyState.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReconcileFinding> out) throws Exception {
        ReconcileKeyState s = keyState.value();
        if (s == null) {
            return; // a timer of a key already forgotten
        }
        long now = ctx.timerService().currentProcessingTime();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (!s.awaitingShop || timestamp < s.confirmAt) {
                return; // resolved meanwhile, or an older confirmation
            }
            if (restoreGrace.defers(ctx.timerService())) {
                // Due at a restore: the rows replayed from the checkpoint may settle it first.
                s.confirmAt = restoreGrace.endsAt();
                keyState.update(s);
                return;
            }
            s.awaitingShop = false;
            Optional<ReconcileFinding> f = rules.classify(s.bill, s.shop);
            if (f.isPresent()
                    && f.get().findingClass != ReconcileClass.MATCHED
                    && f.get().findingClass != ReconcileClass.LOCAL_ONLY) {
                publishIfNew(f.get(), s, ctx, out, now);
            }
            keyState.update(s);
            return;
        }
        // Bill time: the end of a pending hold, or of the key's days.
        if (s.bill == null
                && s.shop != null
                && s.shop.status == ShopStatus.SUCCESS
                && timestamp >= holdEnd(s.shop)
                && !calendar.dateOf(s.shop.successAtMs).isBefore(firstDay)) {
            // The bill of its last pending day was read, and no bill carried it.
            rules.classify(null, s.shop).ifPresent(f -> publishIfNew(f, s, ctx, out, now));
        }
        if (timestamp >= forgetAt(s)) {
            clear(s, ctx); // its last bill that could speak of it is long read
            return;
        }
        keyState.update(s);
    }

    private void publishIfNew(
            ReconcileFinding f, ReconcileKeyState s, Context ctx, Collector<ReconcileFinding> out, long now) {
        if (f.findingClass == s.published) {
            return;
        }
        out.collect(f);
        if (f.findingClass != ReconcileClass.MATCHED) {
            ctx.output(ALERTS, ReconcileMessages.alert(f, s.shop, now));
        }
        if (f.findingClass == ReconcileClass.CHANNEL_ONLY && f.kind == BillLineKind.PAYMENT && s.shop != null) {
            // The payment row exists but never turned SUCCESS: the business can still apply it.
            ctx.output(ORDER_COMMANDS, ReconcileMessages.renotify(s.bill, s.shop, now));
        }
        s.published = f.findingClass;
        published.get(f.findingClass).inc();
    }

    private void clear(ReconcileKeyState s, Context ctx) {
        if (s.awaitingShop) {
            ctx.timerService().deleteProcessingTimeTimer(s.confirmAt);
        }
        keyState.clear();
    }

    /** The end of the last pending bill day of a success. */
    private long holdEnd(ShopSide shop) {
        return calendar.endOf(hold.lastBillDay(shop.successAtMs));
    }

    /** When the key is forgotten: keep-days after the last pending day of the latest day either side is on. */
    private long forgetAt(ReconcileKeyState s) {
        LocalDate day = null;
        if (s.bill != null) {
            day = billDates.day(s.bill.billDate);
        }
        if (s.shop != null) {
            LocalDate shopDay = calendar.dateOf(s.shop.dayTimeMs());
            day = day == null || shopDay.isAfter(day) ? shopDay : day;
        }
        return calendar.endOf(day.plusDays(hold.pendingDays() + keepDays));
    }

    private boolean forgotten(LocalDate day, Context ctx) {
        return calendar.endOf(day.plusDays(hold.pendingDays() + keepDays))
                <= ctx.timerService().currentWatermark();
    }

    private boolean outsideReconciledDays(LocalDate day, Context ctx) {
        return day.isBefore(firstDay.minusDays(hold.pendingDays()))
                || (lastDay != null && day.isAfter(lastDay))
                || forgotten(day, ctx);
    }

    private static String camel(ReconcileClass c) {
        StringBuilder b = new StringBuilder();
        for (String part : c.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        }
        return b.toString();
    }
}
