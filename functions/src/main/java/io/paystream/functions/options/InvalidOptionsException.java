package io.paystream.functions.options;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * A function's options that do not hold, one problem per bad option, each naming its setting
 * key; the jobs report them with their other settings' problems.
 */
public class InvalidOptionsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidOptionsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    /** Throws when any problem was found. */
    public static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidOptionsException(problems);
        }
    }

    /** Adds a problem unless {@code d} is positive. */
    public static void positive(ConfigOption<Duration> option, Duration d, List<String> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add("setting '" + option.key() + "' must be positive, got " + d);
        }
    }

    /** Adds a problem unless {@code d} is zero or positive. */
    public static void notNegative(ConfigOption<Duration> option, Duration d, List<String> problems) {
        if (d == null || d.isNegative()) {
            problems.add("setting '" + option.key() + "' must not be negative, got " + d);
        }
    }
}
