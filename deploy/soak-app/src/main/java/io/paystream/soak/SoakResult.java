package io.paystream.soak;

import io.paystream.soak.check.Violations;
import java.util.List;

/** What a soak did and found. */
record SoakResult(List<Fault> faults, long recordsChecked, Violations found) {
    int violations() {
        return found.total()
                + (int) faults.stream().filter(f -> f.recoveredAt() < 0).count();
    }

    long kinds() {
        return faults.stream().map(Fault::kind).distinct().count();
    }
}
