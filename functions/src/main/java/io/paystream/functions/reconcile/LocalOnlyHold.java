package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillCalendar;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * How long a success the bill does not carry is held before it is alerted as LOCAL_ONLY. A success
 * belongs on the bill of its own (Beijing) day, but the channel's clock and ours differ around
 * midnight and a channel may book a late success on the next day's bill; so it stays pending while
 * the bills of its day and of the {@code pendingDays} days after it may still bring it, and becomes
 * alertable at 00:00 Beijing time after the last of those days.
 *
 * <p>Two ways to ask, both answers the same rule: by time ({@link #alertableAt}, for a timer) and by
 * bill ({@link #alertableAfterBill}: the bill of a day was reconciled and did not carry it). The bill
 * of a day is published the next morning (WeChat Pay from 10:00), so a job that wants the last bill
 * read before it alerts waits for the bill, not for the time.
 */
public final class LocalOnlyHold implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code reconcile.pending-days}' default. */
    public static final int DEFAULT_PENDING_DAYS = 3;

    private final int pendingDays;
    private final BillCalendar calendar;

    /** A hold over real (Beijing) bill days. */
    public LocalOnlyHold(int pendingDays) {
        this(pendingDays, BillCalendar.BEIJING_DAYS);
    }

    public LocalOnlyHold(int pendingDays, BillCalendar calendar) {
        if (pendingDays < 0) {
            throw new IllegalArgumentException("pending days must be 0 or more, not " + pendingDays);
        }
        this.pendingDays = pendingDays;
        this.calendar = calendar;
    }

    public BillCalendar calendar() {
        return calendar;
    }

    public int pendingDays() {
        return pendingDays;
    }

    /** The last bill day that may still carry a success at {@code successAtMs}. */
    public LocalDate lastBillDay(long successAtMs) {
        return calendar.dateOf(successAtMs).plusDays(pendingDays);
    }

    /** When a success at {@code successAtMs} that no bill carried becomes alertable (epoch ms). */
    public long alertableAt(long successAtMs) {
        return calendar.startOf(lastBillDay(successAtMs).plusDays(1));
    }

    public boolean isAlertable(long successAtMs, long nowMs) {
        return nowMs >= alertableAt(successAtMs);
    }

    /** Whether the bill of {@code billDate} ({@code yyyy-MM-dd}), reconciled without it, ends the hold. */
    public boolean alertableAfterBill(long successAtMs, String billDate) {
        return !LocalDate.parse(billDate).isBefore(lastBillDay(successAtMs));
    }
}
