package io.paystream.soak.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Violations by check, each with its count and its first examples. */
public final class Violations {
    private static final int EXAMPLES = 5;
    private final Map<String, List<String>> examples = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    public void add(String check, String example) {
        counts.merge(check, 1, Integer::sum);
        List<String> e = examples.computeIfAbsent(check, k -> new ArrayList<>());
        if (e.size() < EXAMPLES) {
            e.add(example);
        }
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public Map<String, Integer> counts() {
        return counts;
    }

    public List<String> examples(String check) {
        return examples.getOrDefault(check, List.of());
    }

    /** Each check with its count and first examples, one per line: the soak table's part and a test's message. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        counts.forEach((check, count) -> {
            b.append(String.format("  %5d  %s%n", count, check));
            for (String e : examples(check)) {
                b.append("           e.g. ").append(e).append('\n');
            }
        });
        return b.toString();
    }
}
