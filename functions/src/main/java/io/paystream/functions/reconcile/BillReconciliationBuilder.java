package io.paystream.functions.reconcile;

import static io.paystream.functions.payments.LostPaymentOptions.RESTORE_GRACE;
import static io.paystream.functions.payments.LostPaymentOptions.STATE_SAFETY_TTL;
import static io.paystream.functions.reconcile.ReconcileOptions.CALENDAR_DAY_LENGTH;
import static io.paystream.functions.reconcile.ReconcileOptions.CALENDAR_FIRST_DAY_START;
import static io.paystream.functions.reconcile.ReconcileOptions.FIRST_DAY;
import static io.paystream.functions.reconcile.ReconcileOptions.KEEP_DAYS;
import static io.paystream.functions.reconcile.ReconcileOptions.LAST_DAY;
import static io.paystream.functions.reconcile.ReconcileOptions.PENDING_DAYS;
import static io.paystream.functions.reconcile.ReconcileOptions.SHOP_WAIT;

import io.paystream.functions.options.InvalidOptionsException;
import io.paystream.state.reconcile.BillCalendar;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The reconciliation functions' options ({@link BillReconciliation}, {@link SummaryMismatchOnce}),
 * defaulting to the settings' defaults; {@link #check()} names the setting of each bad one.
 */
public final class BillReconciliationBuilder {
    String firstDay;
    String lastDay;
    int pendingDays = PENDING_DAYS.defaultValue();
    int keepDays = KEEP_DAYS.defaultValue();
    Duration shopWait = SHOP_WAIT.defaultValue();
    String firstDayStart = CALENDAR_FIRST_DAY_START.defaultValue();
    Duration dayLength = CALENDAR_DAY_LENGTH.defaultValue();
    Duration safetyTtl = STATE_SAFETY_TTL.defaultValue();
    Duration restoreGrace = RESTORE_GRACE.defaultValue();

    // Checked values, set by check().
    LocalDate first;
    LocalDate last;
    BillCalendar calendar;

    BillReconciliationBuilder() {}

    /** Every option from a configuration (a job's settings). */
    public BillReconciliationBuilder from(ReadableConfig config) {
        firstDay = config.get(FIRST_DAY);
        lastDay = config.get(LAST_DAY);
        pendingDays = config.get(PENDING_DAYS);
        keepDays = config.get(KEEP_DAYS);
        shopWait = config.get(SHOP_WAIT);
        firstDayStart = config.get(CALENDAR_FIRST_DAY_START);
        dayLength = config.get(CALENDAR_DAY_LENGTH);
        safetyTtl = config.get(STATE_SAFETY_TTL);
        restoreGrace = config.get(RESTORE_GRACE);
        return this;
    }

    /** {@code reconcile.first-day}, {@code yyyy-MM-dd}. */
    public BillReconciliationBuilder firstDay(String v) {
        this.firstDay = v;
        return this;
    }

    /** {@code reconcile.last-day}, {@code yyyy-MM-dd}; null: no last day. */
    public BillReconciliationBuilder lastDay(String v) {
        this.lastDay = v;
        return this;
    }

    /** {@code reconcile.pending-days}. */
    public BillReconciliationBuilder pendingDays(int v) {
        this.pendingDays = v;
        return this;
    }

    /** {@code reconcile.keep-days}. */
    public BillReconciliationBuilder keepDays(int v) {
        this.keepDays = v;
        return this;
    }

    /** {@code reconcile.shop-wait}. */
    public BillReconciliationBuilder shopWait(Duration v) {
        this.shopWait = v;
        return this;
    }

    /** {@code reconcile.calendar.first-day-start} and {@code reconcile.calendar.day-length}. */
    public BillReconciliationBuilder calendar(String firstDayStart, Duration dayLength) {
        this.firstDayStart = firstDayStart;
        this.dayLength = dayLength;
        return this;
    }

    /** {@code state.safety-ttl}: added to the days a key is kept, as a margin behind its own timer. */
    public BillReconciliationBuilder safetyTtl(Duration v) {
        this.safetyTtl = v;
        return this;
    }

    /** {@code timeouts.restore-grace}: a confirmation due at a restore waits this long for the replayed rows. */
    public BillReconciliationBuilder restoreGrace(Duration v) {
        this.restoreGrace = v;
        return this;
    }

    public BillReconciliation build() {
        check();
        return new BillReconciliation(this);
    }

    public SummaryMismatchOnce buildSummaryCheck() {
        check();
        return new SummaryMismatchOnce(this);
    }

    /** The bill calendar the options describe (checked). */
    public BillCalendar calendar() {
        check();
        return calendar;
    }

    /** How long a key's state may live at most, for the safety TTL: its days, plus the margin. */
    Duration stateTtl() {
        return dayLength.multipliedBy(2L + pendingDays + keepDays).plus(safetyTtl);
    }

    private void check() {
        List<String> problems = new ArrayList<>();
        first = day(FIRST_DAY.key(), firstDay, true, problems);
        last = day(LAST_DAY.key(), lastDay, false, problems);
        if (first != null && last != null && last.isBefore(first)) {
            problems.add(LAST_DAY.key() + ": " + lastDay + " is before " + FIRST_DAY.key() + " " + firstDay);
        }
        if (pendingDays < 0) {
            problems.add(PENDING_DAYS.key() + ": must be 0 or more, not " + pendingDays);
        }
        if (keepDays < 1) {
            problems.add(KEEP_DAYS.key() + ": must be 1 or more (the day of the last pending bill), not " + keepDays);
        }
        if (shopWait == null || shopWait.isNegative()) {
            problems.add(SHOP_WAIT.key() + ": must be 0 or more, not " + shopWait);
        }
        InvalidOptionsException.positive(CALENDAR_DAY_LENGTH, dayLength, problems);
        if (dayLength != null && dayLength.toNanosPart() % 1_000_000 != 0) {
            // The calendar counts in epoch ms, as the channels' and the sandbox's does (BillCalendar).
            problems.add(CALENDAR_DAY_LENGTH.key() + ": must be whole milliseconds, not " + dayLength);
        }
        InvalidOptionsException.positive(STATE_SAFETY_TTL, safetyTtl, problems);
        InvalidOptionsException.notNegative(RESTORE_GRACE, restoreGrace, problems);
        OffsetDateTime start = null;
        try {
            start = OffsetDateTime.parse(firstDayStart);
        } catch (DateTimeException | NullPointerException e) {
            problems.add(CALENDAR_FIRST_DAY_START.key() + ": '" + firstDayStart
                    + "' is not an ISO-8601 instant with an offset (2026-12-01T00:00:00+08:00)");
        }
        InvalidOptionsException.throwIfAny(problems);
        calendar = new BillCalendar(start.toInstant(), dayLength);
    }

    private static LocalDate day(String key, String value, boolean required, List<String> problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(key + ": required, the first bill day to reconcile (yyyy-MM-dd)");
            }
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeException e) {
            problems.add(key + ": '" + value + "' is not a day yyyy-MM-dd");
            return null;
        }
    }
}
