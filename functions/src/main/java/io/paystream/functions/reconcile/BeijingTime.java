package io.paystream.functions.reconcile;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The channels' bill times: {@code yyyy-MM-dd HH:mm:ss} in Beijing time (UTC+8, no daylight
 * saving), and the bill days they cut at 00:00 Beijing time.
 */
final class BeijingTime {
    static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter BILL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private BeijingTime() {}

    /** Epoch ms of a bill time; IllegalArgumentException when it is not one. */
    static long parse(String text) {
        try {
            return LocalDateTime.parse(text, BILL_TIME).toInstant(BEIJING).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time yyyy-MM-dd HH:mm:ss: '" + text + "'");
        }
    }

    /** The bill day an instant falls on. */
    static LocalDate day(long epochMs) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMs, 1000), 0, BEIJING)
                .toLocalDate();
    }

    /** 00:00 Beijing time of a day, epoch ms. */
    static long startOf(LocalDate day) {
        return day.atStartOfDay().toInstant(BEIJING).toEpochMilli();
    }
}
