package io.paystream.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short soak CI runs: every fault kind once, under traffic, then every record checked. The long
 * run (30 min, 40+ faults) is {@code deploy/soak --duration 1800}, reported in the README.
 */
class SoakIT {
    @Test
    void everyKindOfFailureOnceUnderTrafficLosesAndRepeatsNothing() throws Exception {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        SoakArgs args = SoakArgs.parse(new String[] {
            "--duration", "0", "--short-outages", "--rate", "5", "--seed", "7", "--work-dir", "target/soak-it"
        });

        SoakResult result = new Soak(args, root).run();

        assertThat(result.faults()).extracting(Fault::kind).contains(FaultKind.values());
        assertThat(result.faults())
                .allSatisfy(f -> assertThat(f.recoveredAt())
                        .as("outputs flowing again after: %s", f.detail())
                        .isPositive());
        assertThat(result.recordsChecked()).isGreaterThan(500);
        assertThat(result.found().counts())
                .as("violations, with examples:%n%s", result.found().describe())
                .isEmpty();
    }
}
