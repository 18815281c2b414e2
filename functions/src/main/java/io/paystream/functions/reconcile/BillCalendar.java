package io.paystream.functions.reconcile;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The bill days: which day's bill an instant belongs on, and when a day ends. The channels cut their
 * days at 00:00 Beijing time ({@link #BEIJING_DAYS}); the sandbox compresses days into a minute or
 * so, which is the one reason the start and the length are settings ({@code reconcile.calendar.*}).
 * Day {@code n} after the first day's start is the first day's Beijing date plus {@code n} days.
 */
public final class BillCalendar implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Real bill days: 24 hours from 00:00 +08:00. */
    public static final BillCalendar BEIJING_DAYS = new BillCalendar(
            BeijingTime.startOf(LocalDate.of(1970, 1, 1)), Duration.ofDays(1).toMillis());

    private final long firstDayStartMs;
    private final long dayLengthMs;
    private final LocalDate firstDay;

    private BillCalendar(long firstDayStartMs, long dayLengthMs) {
        if (dayLengthMs <= 0) {
            throw new IllegalArgumentException("a bill day must last more than 0 ms, not " + dayLengthMs);
        }
        this.firstDayStartMs = firstDayStartMs;
        this.dayLengthMs = dayLengthMs;
        this.firstDay = BeijingTime.day(firstDayStartMs);
    }

    /** Days of {@code dayLength} from {@code firstDayStart} (its Beijing date is the first day's date). */
    public static BillCalendar of(Instant firstDayStart, Duration dayLength) {
        return new BillCalendar(firstDayStart.toEpochMilli(), dayLength.toMillis());
    }

    /** The bill day an instant falls on. */
    public LocalDate day(long epochMs) {
        return firstDay.plusDays(Math.floorDiv(epochMs - firstDayStartMs, dayLengthMs));
    }

    /** When a day starts, epoch ms. */
    public long startOf(LocalDate day) {
        return firstDayStartMs + ChronoUnit.DAYS.between(firstDay, day) * dayLengthMs;
    }

    /** The last millisecond of a day: the bill time of everything on that day's bill. */
    public long endOf(LocalDate day) {
        return startOf(day.plusDays(1)) - 1;
    }

    @Override
    public String toString() {
        return "BillCalendar{days of " + Duration.ofMillis(dayLengthMs) + " from "
                + Instant.ofEpochMilli(firstDayStartMs) + " (" + firstDay + ")}";
    }
}
