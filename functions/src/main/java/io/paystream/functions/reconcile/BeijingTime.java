package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillCalendar;
import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * The channels' bill times: {@code yyyy-MM-dd HH:mm:ss} in Beijing time (UTC+8, no daylight
 * saving), read by position (a formatter per line is the slowest part of a bill otherwise). The
 * bill days they cut at 00:00 Beijing time are {@link BillCalendar}'s.
 */
final class BeijingTime {
    private BeijingTime() {}

    /** Epoch ms of a bill time; IllegalArgumentException when it is not one. */
    static long parse(String text) {
        if (text.length() != 19
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != ' '
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            throw refused(text);
        }
        try {
            return LocalDateTime.of(
                            number(text, 0, 4),
                            number(text, 5, 7),
                            number(text, 8, 10),
                            number(text, 11, 13),
                            number(text, 14, 16),
                            number(text, 17, 19))
                    .toInstant(BillCalendar.BEIJING)
                    .toEpochMilli();
        } catch (DateTimeException e) {
            throw refused(text);
        }
    }

    private static int number(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw refused(text);
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static IllegalArgumentException refused(String text) {
        return new IllegalArgumentException("not a time yyyy-MM-dd HH:mm:ss: '" + text + "'");
    }
}
