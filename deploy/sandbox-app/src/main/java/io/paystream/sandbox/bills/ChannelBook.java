package io.paystream.sandbox.bills;

import io.paystream.channels.RefundFacts;
import io.paystream.channels.bills.BillEntry;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated channels decided, kept by bill day as they decide it (the channels' truth, not
 * the shop's database): each payment a channel charged, on the day of its {@code paidAt}; each
 * refund, on the day the channel accepted (and decided) it. Also the payments a channel never
 * charged (closed unpaid, or failed with no retry to follow), which a bill may claim were paid (an
 * injected STATUS_MISMATCH). Only channels that write
 * bills are kept (UnionPay writes none). Cheap: one queue append per decision; a day's entries are
 * dropped once its bills are written.
 */
public final class ChannelBook {
    /**
     * A payment the channel never charged, as the channel last decided it ({@code CLOSED} or
     * {@code FAILED}). A bill checks the shop's row is CLOSED or FAILED before it uses one.
     */
    public record Unpaid(String paymentId, String channelTxnId, long amountFen, Instant at, PaymentStatus outcome) {}

    /** How many unpaid payments per channel are kept to pick from (the oldest go first). */
    static final int UNPAID_KEPT = 500;

    private final BillCalendar calendar;
    private final Map<Long, Map<PaymentChannel, Queue<BillEntry>>> days = new ConcurrentHashMap<>();
    private final Map<PaymentChannel, ConcurrentLinkedDeque<Unpaid>> unpaid = new ConcurrentHashMap<>();
    /** Days up to this one have been taken (their bills written); -1: none yet. */
    private volatile long takenThrough = -1;
    /** Decisions that arrived for a day already written (never expected: decisions are recorded as made). */
    private final AtomicLong late = new AtomicLong();

    public ChannelBook(BillCalendar calendar) {
        this.calendar = calendar;
    }

    public BillCalendar calendar() {
        return calendar;
    }

    /** The channel charged a payment (its notification may be lost; the shop may never learn of it). */
    public void paid(String channel, String paymentId, String channelTxnId, long amountFen, Instant paidAt) {
        PaymentChannel c = PaymentChannel.valueOf(channel);
        if (BillFiles.hasBill(c)) {
            add(c, BillEntry.payment(paymentId, channelTxnId, amountFen, "SUCCESS", paidAt));
        }
    }

    /**
     * The channel accepted and decided a refund at {@code at} (WeChat Pay's words SUCCESS, ABNORMAL,
     * CLOSED; Alipay's detail file lists completed refunds only, so only its SUCCESS ones are kept).
     */
    public void refundDecided(String channel, RefundFacts f, Instant at) {
        PaymentChannel c = PaymentChannel.valueOf(channel);
        if (!BillFiles.hasBill(c) || (c == PaymentChannel.ALIPAY && !"SUCCESS".equals(f.status()))) {
            return;
        }
        add(
                c,
                BillEntry.refund(
                        f.refundId(),
                        f.paymentId(),
                        f.paymentTxnId() == null ? "unknown" : f.paymentTxnId(),
                        f.channelRefundId(),
                        f.amountCents(),
                        f.status(),
                        at));
    }

    /** The channel closed a payment unpaid (the payment center closed it, or its order was cancelled). */
    public void closedUnpaid(String channel, String paymentId, String channelTxnId, long amountFen, Instant at) {
        neverCharged(channel, new Unpaid(paymentId, channelTxnId, amountFen, at, PaymentStatus.CLOSED));
    }

    /** The channel failed a payment and the user will not try it again: it stays unpaid. */
    public void failedForGood(String channel, String paymentId, String channelTxnId, long amountFen, Instant at) {
        neverCharged(channel, new Unpaid(paymentId, channelTxnId, amountFen, at, PaymentStatus.FAILED));
    }

    private void neverCharged(String channel, Unpaid payment) {
        PaymentChannel c = PaymentChannel.valueOf(channel);
        if (!BillFiles.hasBill(c) || payment.amountFen() < 1) {
            return;
        }
        ConcurrentLinkedDeque<Unpaid> q = unpaid.computeIfAbsent(c, k -> new ConcurrentLinkedDeque<>());
        q.addLast(payment);
        while (q.size() > UNPAID_KEPT) {
            q.pollFirst();
        }
    }

    /**
     * Takes (and forgets) the entries of {@code channel} on day {@code day}, ordered by time then id.
     * Call for every channel of a day, then {@link #dayTaken}.
     */
    public List<BillEntry> take(long day, PaymentChannel channel) {
        Map<PaymentChannel, Queue<BillEntry>> byChannel = days.get(day);
        List<BillEntry> out = new ArrayList<>();
        if (byChannel != null) {
            Queue<BillEntry> q = byChannel.remove(channel);
            if (q != null) {
                out.addAll(q);
            }
            if (byChannel.isEmpty()) {
                days.remove(day, byChannel);
            }
        }
        out.sort(Comparator.comparing(BillEntry::tradeTime).thenComparing(BillEntry::shopId));
        return out;
    }

    /** Day {@code day}'s bills are written: a decision still arriving for it is counted as late. */
    public void dayTaken(long day) {
        takenThrough = Math.max(takenThrough, day);
        days.keySet().removeIf(d -> d <= day);
    }

    /** The oldest unpaid payment of {@code channel} not yet taken; null when none. */
    public Unpaid takeUnpaid(PaymentChannel channel) {
        ConcurrentLinkedDeque<Unpaid> q = unpaid.get(channel);
        return q == null ? null : q.pollFirst();
    }

    /** Decisions recorded after their day's bills were written (dropped). */
    public long late() {
        return late.get();
    }

    private void add(PaymentChannel channel, BillEntry e) {
        long day = calendar.dayOf(e.tradeTime());
        if (day <= takenThrough) {
            late.incrementAndGet();
            return;
        }
        days.computeIfAbsent(day, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(channel, c -> new ConcurrentLinkedQueue<>())
                .add(e);
    }
}
