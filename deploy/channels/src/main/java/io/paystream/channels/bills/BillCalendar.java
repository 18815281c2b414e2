package io.paystream.channels.bills;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A compressed bill calendar: day 0 starts at {@code firstDayStart} and every day lasts {@code
 * dayLength} (a minute in the sandbox, a real day in production). Day 0's date is the date of
 * {@code firstDayStart} in Beijing time (+08:00); day k's date is that date plus k days. An instant
 * belongs to the day {@code floor((instant - firstDayStart) / dayLength)}: a day includes its start
 * and excludes its end.
 *
 * <p>The reconciliation job is configured with the same two values ({@link #settings()}).
 *
 * @param firstDayStart when day 0 starts
 * @param dayLength     how long each day lasts, positive
 */
public record BillCalendar(Instant firstDayStart, Duration dayLength) {
    /** The reconciliation job's setting of {@link #firstDayStart}: an ISO-8601 instant. */
    public static final String FIRST_DAY_START = "reconcile.calendar.first-day-start";
    /** The reconciliation job's setting of {@link #dayLength}: a duration ({@code 60s}, {@code 1500ms}). */
    public static final String DAY_LENGTH = "reconcile.calendar.day-length";

    public BillCalendar {
        Objects.requireNonNull(firstDayStart, "firstDayStart");
        Objects.requireNonNull(dayLength, "dayLength");
        if (dayLength.isNegative() || dayLength.isZero()) {
            throw new IllegalArgumentException("a bill day must last a while: " + dayLength);
        }
    }

    /** The real calendar: days of 24 h from 00:00 Beijing time of {@code firstDate}. */
    public static BillCalendar daily(LocalDate firstDate) {
        return new BillCalendar(firstDate.atStartOfDay().toInstant(BillFiles.BEIJING), Duration.ofDays(1));
    }

    /** Day 0's date: the date of {@link #firstDayStart} in Beijing time. */
    public LocalDate firstDate() {
        return LocalDate.ofInstant(firstDayStart, BillFiles.BEIJING);
    }

    /** The day {@code at} belongs to; negative before day 0. */
    public long dayOf(Instant at) {
        return Math.floorDiv(Duration.between(firstDayStart, at).toNanos(), dayLength.toNanos());
    }

    /** The date of day {@code day}. */
    public LocalDate date(long day) {
        return firstDate().plusDays(day);
    }

    /** The date of the day {@code at} belongs to. */
    public LocalDate dateOf(Instant at) {
        return date(dayOf(at));
    }

    /** The day whose date is {@code date}. */
    public long dayOf(LocalDate date) {
        return date.toEpochDay() - firstDate().toEpochDay();
    }

    /** When day {@code day} starts (inclusive). */
    public Instant start(long day) {
        return firstDayStart.plus(dayLength.multipliedBy(day));
    }

    /** When day {@code day} ends (exclusive): the next day's start. */
    public Instant end(long day) {
        return start(day + 1);
    }

    /**
     * The reconciliation job's settings of this calendar: {@value #FIRST_DAY_START} (ISO-8601
     * instant) and {@value #DAY_LENGTH} ({@code <seconds>s}, or {@code <millis>ms} for a length that
     * is not whole seconds: the form Flink's duration options and the sandbox's --set take).
     */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(FIRST_DAY_START, firstDayStart.toString());
        long ms = dayLength.toMillis();
        s.put(DAY_LENGTH, ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms");
        return s;
    }
}
