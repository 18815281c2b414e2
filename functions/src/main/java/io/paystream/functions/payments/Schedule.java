package io.paystream.functions.payments;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.TimeUtils;

/** A list of offsets such as {@code 10s,20s,30s}, parsed and checked once. */
public final class Schedule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] millis;

    private Schedule(long[] millis) {
        this.millis = millis;
    }

    /** Strictly increasing positive offsets, comma-separated ({@code 10s,20s,30s}). */
    public static Schedule increasing(String text) {
        Schedule s = parse(text);
        for (int i = 0; i < s.millis.length; i++) {
            if (s.millis[i] <= 0 || (i > 0 && s.millis[i] <= s.millis[i - 1])) {
                throw new IllegalArgumentException("schedule '" + text + "' must be positive and strictly increasing");
            }
        }
        return s;
    }

    /** Positive durations, comma-separated (may be empty). */
    public static Schedule parse(String text) {
        List<Long> out = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                Duration d;
                try {
                    d = TimeUtils.parseDuration(part.strip());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "schedule '" + text + "': '" + part.strip() + "' is not a duration");
                }
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("schedule '" + text + "': durations must be positive");
                }
                out.add(d.toMillis());
            }
        }
        return new Schedule(out.stream().mapToLong(Long::longValue).toArray());
    }

    public int size() {
        return millis.length;
    }

    /** The offset of attempt {@code attempt} (1-based). */
    public long offset(int attempt) {
        return millis[attempt - 1];
    }

    @Override
    public String toString() {
        return java.util.Arrays.toString(millis);
    }
}
