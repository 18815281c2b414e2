package io.paystream.functions.refunds;

import io.paystream.functions.SafetyTtl;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.refunds.PaymentRefunds;
import io.paystream.state.refunds.RefundOutcome;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The money rule of refunds, keyed by payment id: the successful refunds of a payment never add up
 * to more than it paid. When they do, {@code REFUND_EXCEEDS_PAYMENT} is raised once per payment
 * (id {@code REFUND_EXCEEDS_PAYMENT:{paymentId}}), naming every successful refund and the excess.
 *
 * <p><b>What the payment paid comes from its CDC row</b> ({@code payments}), not from
 * {@code payment.results}: the row is there for every payment, also one paid before this job ran,
 * one whose outcome was published before this operator had state (outcomes are published once,
 * ever), or one the payment center settled by its own means; a lost state is rebuilt from the CDC
 * snapshot. The row's amount is the one the payments job already checked against the channel's
 * (AMOUNT_MISMATCH otherwise). A payment counts as paid once its row says SUCCESS, or CLOSED with
 * the channel's transaction id (paid, then closed, e.g. by a full refund); once paid it stays paid.
 * The refunds are the verified {@link RefundOutcome}s of the refund watch: only SUCCESS moves money.
 *
 * <p><b>When a payment is done</b>: {@code refunds.window} after it was paid (its row's time), no
 * channel accepts a refund of it any more, so one timer then clears its state; a deleted payment row
 * clears it at once. Until then the payment is kept even when fully refunded or alerted: one more
 * refund must still be seen (and the alert stay single). A payment that never paid keeps nothing;
 * refunds of a payment whose row has not come yet are kept {@code refunds.window} from the first.
 * The cost is one small entry per paid payment within the window. The TTL is a safety net behind
 * the timer: {@code refunds.window} plus {@code state.safety-ttl}.
 */
public class RefundsExceedPayment extends KeyedCoProcessFunction<String, RowChange<PaymentRow>, RefundOutcome, Alert> {
    /** Name of a keyed state, also for a savepoint report. */
    public static final String PAYMENT_STATE = "payment-refunds";
    /** Name of a keyed state (refund id to fen), also for a savepoint report. */
    public static final String REFUNDS_STATE = "successful-refunds";

    private static final long serialVersionUID = 1L;

    final long refundWindowMs;
    private final Duration stateTtl;

    transient ValueState<PaymentRefunds> payment;
    transient MapState<String, Long> refunds;
    transient Counter alertsRaised;
    transient Counter replaysIgnored;

    RefundsExceedPayment(RefundsExceedPaymentBuilder b) {
        this.refundWindowMs = b.refundWindow.toMillis();
        this.stateTtl = b.refundWindow.plus(b.safetyTtl);
    }

    /** Options with the settings' defaults; {@code build()} checks them, naming each bad setting. */
    public static RefundsExceedPaymentBuilder builder() {
        return new RefundsExceedPaymentBuilder();
    }

    @Override
    public void open(OpenContext openContext) {
        // A safety net only: the refund window's timer and a deleted row clear the state themselves.
        StateTtlConfig ttl = SafetyTtl.of(stateTtl);
        ValueStateDescriptor<PaymentRefunds> p = new ValueStateDescriptor<>(PAYMENT_STATE, PaymentRefunds.class);
        p.enableTimeToLive(ttl);
        payment = getRuntimeContext().getState(p);
        MapStateDescriptor<String, Long> r = new MapStateDescriptor<>(REFUNDS_STATE, Types.STRING, Types.LONG);
        r.enableTimeToLive(ttl);
        refunds = getRuntimeContext().getMapState(r);
        alertsRaised = getRuntimeContext().getMetricGroup().counter("refundsExceedingPayment");
        replaysIgnored = getRuntimeContext().getMetricGroup().counter("refundRuleReplaysIgnored");
    }

    // --- the payment row ------------------------------------------------------------------------

    @Override
    public void processElement1(RowChange<PaymentRow> change, Context ctx, Collector<Alert> out) throws Exception {
        PaymentRefunds p = payment.value();
        if (p != null && change.version <= p.version) {
            // A replay (restore, CDC re-read) or a row older than one already applied: nothing new.
            replaysIgnored.inc();
            return;
        }
        if (change.isDelete()) {
            // The payment is gone: nothing left to guard.
            if (p != null) {
                ctx.timerService().deleteProcessingTimeTimer(p.clearAt);
                clear();
            }
            return;
        }
        PaymentRow row = change.after;
        boolean paid =
                row.status == PaymentStatus.SUCCESS || (row.status == PaymentStatus.CLOSED && row.channelTxnId != null);
        long now = ctx.timerService().currentProcessingTime();
        if (p == null) {
            if (!paid) {
                return; // not paid (yet): nothing to guard, and no state for the many unpaid payments
            }
            if (row.updatedAtMs + refundWindowMs <= now) {
                return; // paid before the refund window (a snapshot of old payments): no refund can succeed
            }
            p = new PaymentRefunds();
        }
        p.version = change.version;
        p.orderId = row.orderId;
        p.channel = row.channel;
        if (paid) {
            if (!p.paid) {
                // Paid now: the window runs from the row's own time (CDC delay counted in).
                p.paid = true;
                moveClearTimer(p, row.updatedAtMs + refundWindowMs, ctx);
            }
            p.paidCents = row.amountCents;
        }
        // Else paid before (a later FAILED is a late copy, the money was paid) or not yet, with
        // refunds waiting: keep what is known.
        check(ctx.getCurrentKey(), p, ctx, out);
        payment.update(p);
    }

    // --- refund outcomes ----------------------------------------------------------------------------

    @Override
    public void processElement2(RefundOutcome o, Context ctx, Collector<Alert> out) throws Exception {
        if (!RefundStatus.SUCCESS.name().equals(o.status)) {
            return; // a FAILED or CLOSED refund moved no money
        }
        if (refunds.contains(o.refundId)) {
            // refund.results read again (a restore, a re-read topic): each refund counts once.
            replaysIgnored.inc();
            return;
        }
        PaymentRefunds p = payment.value();
        if (p == null) {
            // The payment row has not come (or was not paid when it came): keep the refund, within
            // the refund window from now, for the row that says what the payment paid.
            p = new PaymentRefunds();
            p.orderId = o.orderId;
            moveClearTimer(p, ctx.timerService().currentProcessingTime() + refundWindowMs, ctx);
        }
        long cents = Money.cents(o.amount);
        refunds.put(o.refundId, cents);
        p.refundedCents += cents;
        check(ctx.getCurrentKey(), p, ctx, out);
        payment.update(p);
    }

    // --- the end of the refund window ------------------------------------------------------------

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        PaymentRefunds p = payment.value();
        if (p != null && timestamp >= p.clearAt) {
            clear(); // no channel refunds this payment any more: it is done
        }
        // Else a timer that was moved (deleted) or of a payment already cleared: nothing to do.
    }

    /** Raises the alert, once, when the successful refunds are above what the payment paid. */
    private void check(String paymentId, PaymentRefunds p, Context ctx, Collector<Alert> out) throws Exception {
        if (!p.paid || p.alerted || p.refundedCents <= p.paidCents) {
            return; // not known paid yet (checked when its row comes), alerted already, or within what it paid
        }
        out.collect(alert(paymentId, p, ctx.timerService().currentProcessingTime()));
        alertsRaised.inc();
        p.alerted = true;
    }

    private Alert alert(String paymentId, PaymentRefunds p, long now) throws Exception {
        List<Map.Entry<String, Long>> all = new ArrayList<>();
        for (Map.Entry<String, Long> e : refunds.entries()) {
            all.add(Map.entry(e.getKey(), e.getValue()));
        }
        all.sort(Map.Entry.comparingByKey()); // state order is no order: name them the same way every time
        List<String> named = new ArrayList<>();
        for (Map.Entry<String, Long> e : all) {
            named.add(e.getKey() + " " + Money.yuan(e.getValue()));
        }
        Alert a = new Alert();
        a.type = Alert.REFUND_EXCEEDS_PAYMENT;
        a.alertId = a.type + ":" + paymentId;
        a.paymentId = paymentId;
        a.orderId = p.orderId;
        a.channel = p.channel == null ? null : p.channel.name();
        a.amount = Money.yuan(p.refundedCents - p.paidCents);
        a.reason = "payment " + paymentId + " paid " + Money.yuan(p.paidCents) + ", its " + all.size()
                + " successful refunds add up to " + Money.yuan(p.refundedCents) + " (" + String.join(", ", named)
                + "): " + Money.yuan(p.refundedCents - p.paidCents) + " refunded beyond what it paid";
        a.raisedAt = now;
        return a;
    }

    /** One clear timer per payment, at {@code clearAt}. */
    private void moveClearTimer(PaymentRefunds p, long clearAt, Context ctx) {
        if (p.clearAt != 0) {
            ctx.timerService().deleteProcessingTimeTimer(p.clearAt);
        }
        p.clearAt = clearAt;
        ctx.timerService().registerProcessingTimeTimer(clearAt);
    }

    private void clear() {
        payment.clear();
        refunds.clear();
    }
}
