package io.paystream.functions.stock;

import io.paystream.functions.SafetyTtl;
import io.paystream.state.contract.Alert;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.stock.AccountOrder;
import io.paystream.state.stock.RiskOrder;
import io.paystream.state.stock.RiskWindow;
import io.paystream.state.stock.StockTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Risk control, keyed by subject ({@code user:{user_id}} or {@code ip:{client_ip}}): a subject
 * with more than its limit of unpaid orders created within {@code window} gets
 * {@code SUSPICIOUS_ACCOUNT} (the business notes' "malicious orders that lock stock"). An order
 * counts from its creation until it is PAID; cancelled and expired orders keep counting, since they
 * were created unpaid. The window runs on the orders' own {@code created_at}.
 *
 * <p>The alert is raised once when the count goes above the limit, naming the order that took it
 * there; it is raised again only after the count fell back to the limit.
 *
 * <p>The order named is the one whose creation took the count above the limit: the (limit+1)-th of
 * the subject's counted unpaid orders ranked by {@code created_at} (then order id), not the row
 * that happened to arrive last (issue 12, StockLedgerIT). Rows do not always arrive in the order
 * the orders were created: Flink CDC (3.5.0, SnapshotSplitReader#pollWithBuffer) emits a snapshot
 * chunk's rows in the iteration order of a HashMap keyed by the primary key's Struct, whose hash
 * depends on identity hashes and so changes from one JVM to the next. Whether an order is read in
 * the snapshot or live from the binlog (commit order) depends on timing: a job that fails during
 * its snapshot restores from a checkpoint taken before the snapshot of {@code orders}, and reads
 * that table after the restart, with the orders created in between, in hash order. The same
 * orders must get the same alert either way. Ranked by creation, they do whenever the orders up to
 * the crossing one have arrived when the count crosses. When a snapshot holds more than limit+1
 * unpaid orders of one subject, the alert is still raised at the (limit+1)-th row to arrive, and
 * names the latest-created of the rows read so far: waiting for the rest would need an
 * end-of-snapshot signal a keyed function does not get.
 */
public class UnpaidOrderRisk extends KeyedProcessFunction<String, AccountOrder, Alert> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final int maxPerAccount;
    private final int maxPerIp;

    private transient MapState<Long, RiskOrder> orders;
    private transient ValueState<RiskWindow> count;
    private transient Counter suspicious;

    public UnpaidOrderRisk(Duration window, int maxPerAccount, int maxPerIp) {
        if (window.isNegative() || window.isZero() || maxPerAccount < 1 || maxPerIp < 1) {
            throw new IllegalArgumentException("the risk window must be positive and the limits at least 1, got "
                    + window + ", " + maxPerAccount + ", " + maxPerIp);
        }
        this.windowMs = window.toMillis();
        this.maxPerAccount = maxPerAccount;
        this.maxPerIp = maxPerIp;
    }

    @Override
    public void open(OpenContext openContext) {
        // Safety net only: each order leaves at the end of its window by timer.
        StateTtlConfig ttl = SafetyTtl.of(Duration.ofMillis(windowMs * 3));
        MapStateDescriptor<Long, RiskOrder> o =
                new MapStateDescriptor<>("risk-orders", BasicTypeInfo.LONG_TYPE_INFO, StockTypes.RISK_ORDER);
        o.enableTimeToLive(ttl);
        orders = getRuntimeContext().getMapState(o);
        ValueStateDescriptor<RiskWindow> c = new ValueStateDescriptor<>("risk-window", StockTypes.RISK_WINDOW);
        c.enableTimeToLive(ttl);
        count = getRuntimeContext().getState(c);
        suspicious = getRuntimeContext().getMetricGroup().counter("suspiciousAccounts");
    }

    @Override
    public void processElement(AccountOrder o, Context ctx, Collector<Alert> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        RiskOrder known = orders.get(o.orderId);
        if (known != null && o.version <= known.version) {
            return; // a replayed or older row
        }
        RiskWindow w = count.value();
        if (w == null) {
            w = new RiskWindow();
        }
        if (known == null) {
            if (o.deleted || o.createdAtMs + windowMs <= now) {
                return; // outside the window (an old order in the snapshot), or gone
            }
            countNew(o, w, ctx, now, out);
        } else if (o.deleted) {
            orders.remove(o.orderId);
            uncount(w, known.unpaid, o);
        } else {
            boolean unpaid = o.status != OrderStatus.PAID;
            known.version = o.version;
            if (known.unpaid && !unpaid) {
                known.unpaid = false; // paid: no longer held against the subject
                uncount(w, true, o);
            }
            orders.put(o.orderId, known);
        }
        count.update(w);
    }

    /** A new order in the subject's window: counted until its window ends, raised above the limit. */
    private void countNew(AccountOrder o, RiskWindow w, Context ctx, long now, Collector<Alert> out) throws Exception {
        RiskOrder known = new RiskOrder();
        known.createdAtMs = o.createdAtMs;
        known.unpaid = o.status != OrderStatus.PAID;
        known.version = o.version;
        orders.put(o.orderId, known);
        ctx.timerService().registerProcessingTimeTimer(o.createdAtMs + windowMs);
        if (known.unpaid) {
            w.unpaid++;
            int limit = o.isAccount() ? maxPerAccount : maxPerIp;
            if (w.unpaid > limit && !w.flagged) {
                w.flagged = true;
                long named = crossingOrder(limit, o.orderId);
                RiskOrder n = orders.get(named);
                n.named = true;
                orders.put(named, n);
                raise(o, named, w.unpaid, limit, now, out);
            }
        }
    }

    /**
     * The order that took the subject above {@code limit}: the (limit+1)-th of its counted unpaid
     * orders by {@code created_at}, then order id (orders created in the same millisecond), so that
     * the alert and its id do not depend on the order the rows arrive in. Runs once per episode,
     * over the subject's orders within the window. An order an earlier episode named already (an
     * older order read late) is not named again: the arriving order is, whose id no alert had.
     */
    private long crossingOrder(int limit, long arriving) throws Exception {
        List<Map.Entry<Long, RiskOrder>> unpaid = new ArrayList<>();
        for (Map.Entry<Long, RiskOrder> e : orders.entries()) {
            if (e.getValue().unpaid) {
                unpaid.add(e);
            }
        }
        unpaid.sort(Comparator.comparingLong((Map.Entry<Long, RiskOrder> e) -> e.getValue().createdAtMs)
                .thenComparingLong(Map.Entry::getKey));
        // The count and the map agree; min() only guards a count a safety TTL left behind.
        Map.Entry<Long, RiskOrder> crossing = unpaid.get(Math.min(limit, unpaid.size() - 1));
        return crossing.getValue().named ? arriving : crossing.getKey();
    }

    private void uncount(RiskWindow w, boolean wasUnpaid, AccountOrder o) {
        if (wasUnpaid) {
            w.unpaid--;
            if (w.unpaid <= (o.isAccount() ? maxPerAccount : maxPerIp)) {
                w.flagged = false;
            }
        }
    }

    /** The alert about {@code o}'s subject, naming {@code orderId} (one of the subject's orders). */
    private void raise(AccountOrder o, long orderId, int unpaid, int limit, long now, Collector<Alert> out) {
        Alert a = new Alert();
        a.type = Alert.SUSPICIOUS_ACCOUNT;
        a.alertId = a.type + ":" + o.subject + ":" + orderId;
        a.orderId = orderId;
        if (o.isAccount()) {
            a.userId = o.userId;
        } else {
            a.clientIp = o.clientIp;
        }
        a.reason = (o.isAccount() ? "account " + o.userId : "client IP " + o.clientIp) + " created " + unpaid
                + " unpaid orders within " + windowMs / 1000 + " s (limit " + limit + ")";
        a.raisedAt = now;
        out.collect(a);
        suspicious.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        RiskWindow w = count.value();
        int left = 0;
        boolean isAccount = ctx.getCurrentKey().startsWith("user:");
        var it = orders.iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().createdAtMs + windowMs <= timestamp) {
                // Out of the window.
                if (e.getValue().unpaid && w != null) {
                    w.unpaid--;
                }
                it.remove();
            } else {
                left++;
            }
        }
        if (left == 0) {
            orders.clear();
            count.clear();
        } else if (w != null) {
            if (w.unpaid <= (isAccount ? maxPerAccount : maxPerIp)) {
                w.flagged = false;
            }
            count.update(w);
        }
    }
}
