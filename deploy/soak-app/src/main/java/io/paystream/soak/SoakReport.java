package io.paystream.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The soak's table: faults by kind with their recovery times (from the failed part being back to
 * outputs flowing again, and from the fault itself: for a TaskManager's kill the jobs run on the
 * standby before the replacement is back), records checked, violations with their first examples,
 * and the closing line {@code soak: F faults of K kinds, R records checked, V violations}.
 */
final class SoakReport {
    private final SoakResult result;
    private final String traffic;

    SoakReport(SoakResult result, String traffic) {
        this.result = result;
        this.traffic = traffic;
    }

    String render() {
        StringBuilder b = new StringBuilder("\n");
        b.append(String.format(
                "%-14s %6s %12s %12s %12s %15s %15s %15s %13s%n",
                "fault",
                "count",
                "recovery p50",
                "recovery p99",
                "recovery max",
                "from fault p50",
                "from fault p99",
                "from fault max",
                "not recovered"));
        Map<FaultKind, List<Fault>> byKind = new TreeMap<>();
        for (Fault f : result.faults()) {
            byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f);
        }
        byKind.forEach((kind, faults) -> {
            List<Long> times = new ArrayList<>();
            faults.stream().filter(f -> f.recoveredAt() >= 0).forEach(f -> times.add(f.recoveryMs()));
            times.sort(Long::compare);
            List<Long> fromFault = new ArrayList<>();
            faults.stream().filter(f -> f.fromFailureMs() >= 0).forEach(f -> fromFault.add(f.fromFailureMs()));
            fromFault.sort(Long::compare);
            b.append(String.format(
                    "%-14s %6d %12s %12s %12s %15s %15s %15s %13d%n",
                    kind.label,
                    faults.size(),
                    seconds(percentile(times, 50)),
                    seconds(percentile(times, 99)),
                    seconds(times.isEmpty() ? -1 : times.get(times.size() - 1)),
                    seconds(percentile(fromFault, 50)),
                    seconds(percentile(fromFault, 99)),
                    seconds(fromFault.isEmpty() ? -1 : fromFault.get(fromFault.size() - 1)),
                    faults.size() - times.size()));
        });
        b.append("\ntraffic: ").append(traffic).append('\n');
        if (result.found().total() > 0) {
            b.append("\nviolations:\n").append(result.found().describe());
        }
        for (Fault f : result.faults()) {
            if (f.recoveredAt() < 0) {
                b.append("  not recovered: ").append(f.detail()).append('\n');
            }
        }
        b.append(String.format(
                "%nsoak: %d faults of %d kinds, %d records checked, %d violations%n",
                result.faults().size(), result.kinds(), result.recordsChecked(), result.violations()));
        return b.toString();
    }

    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String seconds(long ms) {
        return ms < 0 ? "-" : String.format("%.1f s", ms / 1000.0);
    }
}
