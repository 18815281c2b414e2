package io.paystream.state.reconcile;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The bill days: which day's bill an instant belongs on, and when a day starts and ends. The
 * channels cut their days at 00:00 Beijing time ({@link #BEIJING_DAYS}); the sandbox compresses
 * days into a minute or so, which is the one reason the start and the length are settings of the
 * reconciliation job ({@link #settings()}).
 *
 * <p>Day 0 starts at {@link #firstDayStart()} and every day lasts {@link #dayLength()}. Day 0's
 * date is the date of its start in Beijing time; day {@code n}'s date is that date plus {@code n}
 * days. An instant belongs to the day {@code floor((instant - firstDayStart) / dayLength)}: a day
 * includes its start and excludes its end.
 *
 * <p>One definition for the simulated channels (which bill a charge goes on), the sandbox and the
 * reconciliation job (which bill day a shop's row is of, when a day's bill time ends): they must
 * agree to the millisecond, or a charge at a day's edge is on one day's bill and reconciled as of
 * the other. <b>Decision:</b> it counts in epoch milliseconds, as the job reads its settings:
 * {@code firstDayStart} is kept to the millisecond (a sandbox's {@code Instant.now()} carries
 * microseconds the job never sees) and a day length must be whole milliseconds.
 */
public final class BillCalendar implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The channels cut their bill days and write their times in Beijing time (UTC+8, no daylight saving). */
    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    /** The reconciliation job's setting of {@link #firstDayStart}: an ISO-8601 instant. */
    public static final String FIRST_DAY_START = "reconcile.calendar.first-day-start";
    /** The reconciliation job's setting of {@link #dayLength}: a duration ({@code 60s}, {@code 1500ms}). */
    public static final String DAY_LENGTH = "reconcile.calendar.day-length";

    /** Real bill days: 24 hours from 00:00 +08:00. */
    public static final BillCalendar BEIJING_DAYS = daily(LocalDate.of(1970, 1, 1));

    private final long firstDayStartMs;
    private final long dayLengthMs;
    /** Day 0's date, derived: kept because every date computed adds to it. */
    private final LocalDate firstDate;

    /**
     * @param firstDayStart when day 0 starts (kept to the millisecond)
     * @param dayLength     how long each day lasts: positive, whole milliseconds
     */
    public BillCalendar(Instant firstDayStart, Duration dayLength) {
        Objects.requireNonNull(firstDayStart, "firstDayStart");
        Objects.requireNonNull(dayLength, "dayLength");
        if (dayLength.isNegative() || dayLength.isZero()) {
            throw new IllegalArgumentException("a bill day must last a while: " + dayLength);
        }
        if (dayLength.toNanosPart() % 1_000_000 != 0) {
            throw new IllegalArgumentException("a bill day must last whole milliseconds: " + dayLength);
        }
        this.firstDayStartMs = firstDayStart.toEpochMilli();
        this.dayLengthMs = dayLength.toMillis();
        this.firstDate = LocalDateTime.ofEpochSecond(Math.floorDiv(firstDayStartMs, 1000), 0, BEIJING)
                .toLocalDate();
    }

    /** The real calendar: days of 24 h from 00:00 Beijing time of {@code firstDate}. */
    public static BillCalendar daily(LocalDate firstDate) {
        return new BillCalendar(firstDate.atStartOfDay().toInstant(BEIJING), Duration.ofDays(1));
    }

    /** When day 0 starts. */
    public Instant firstDayStart() {
        return Instant.ofEpochMilli(firstDayStartMs);
    }

    /** How long each day lasts. */
    public Duration dayLength() {
        return Duration.ofMillis(dayLengthMs);
    }

    /** Day 0's date: the date of {@link #firstDayStart} in Beijing time. */
    public LocalDate firstDate() {
        return firstDate;
    }

    // --- by day number (the simulated channels and the sandbox count days) -----------------------

    /** The day {@code at} belongs to; negative before day 0. */
    public long dayOf(Instant at) {
        return Math.floorDiv(at.toEpochMilli() - firstDayStartMs, dayLengthMs);
    }

    /** The day whose date is {@code date}. */
    public long dayOf(LocalDate date) {
        return date.toEpochDay() - firstDate.toEpochDay();
    }

    /** The date of day {@code day}. */
    public LocalDate date(long day) {
        return firstDate.plusDays(day);
    }

    /** When day {@code day} starts (inclusive). */
    public Instant start(long day) {
        return Instant.ofEpochMilli(startMs(day));
    }

    /** When day {@code day} ends (exclusive): the next day's start. */
    public Instant end(long day) {
        return start(day + 1);
    }

    // --- by date, in epoch ms (the reconciliation job's event time is bill time) -----------------

    /** The date of the day {@code at} belongs to. */
    public LocalDate dateOf(Instant at) {
        return date(dayOf(at));
    }

    /** The date of the day an instant (epoch ms) belongs to: the bill it goes on. */
    public LocalDate dateOf(long epochMs) {
        return date(Math.floorDiv(epochMs - firstDayStartMs, dayLengthMs));
    }

    /** When the day of {@code date} starts, epoch ms. */
    public long startOf(LocalDate date) {
        return startMs(dayOf(date));
    }

    /** The last millisecond of the day of {@code date}: the bill time of everything on that day's bill. */
    public long endOf(LocalDate date) {
        return startMs(dayOf(date) + 1) - 1;
    }

    private long startMs(long day) {
        return firstDayStartMs + day * dayLengthMs;
    }

    /**
     * The reconciliation job's settings of this calendar: {@value #FIRST_DAY_START} (ISO-8601
     * instant) and {@value #DAY_LENGTH} ({@code <seconds>s}, or {@code <millis>ms} for a length that
     * is not whole seconds: the form Flink's duration options and the sandbox's --set take).
     */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(FIRST_DAY_START, firstDayStart().toString());
        s.put(DAY_LENGTH, dayLengthMs % 1000 == 0 ? dayLengthMs / 1000 + "s" : dayLengthMs + "ms");
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BillCalendar c && c.firstDayStartMs == firstDayStartMs && c.dayLengthMs == dayLengthMs;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(firstDayStartMs) * 31 + Long.hashCode(dayLengthMs);
    }

    @Override
    public String toString() {
        return "BillCalendar{days of " + dayLength() + " from " + firstDayStart() + " (" + firstDate + ")}";
    }
}
