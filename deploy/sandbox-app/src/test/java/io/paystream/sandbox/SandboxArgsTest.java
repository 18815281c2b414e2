package io.paystream.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SandboxArgsTest {
    private static final String MAPPING = "../../docs/examples/mall/mall.yaml";
    private static final String SHOP = "../../docs/examples/mall/mall-shop.sql";

    @Test
    void schemasAndAMappingWithoutTraffic() {
        SandboxArgs a = SandboxArgs.parse(
                new String[] {"--no-traffic", "--schema", SHOP, "--schema", SHOP, "--mapping", MAPPING});
        assertThat(a.schemas).containsExactly(Path.of(SHOP), Path.of(SHOP));
        assertThat(a.mapping).isEqualTo(Path.of(MAPPING));
        assertThat(a.traffic).isFalse();
    }

    @Test
    void eachMisuseIsRefusedNamingItsOption() {
        assertThatThrownBy(() -> SandboxArgs.parse(new String[] {"--mapping", MAPPING}))
                .hasMessageStartingWith("--mapping needs --no-traffic: the simulated shop writes the contract schema");
        assertThatThrownBy(() -> SandboxArgs.parse(new String[] {"--no-traffic", "--schema", SHOP}))
                .hasMessageStartingWith("--schema needs --mapping FILE");
        assertThatThrownBy(() ->
                        SandboxArgs.parse(new String[] {"--no-traffic", "--schema", "nope.sql", "--mapping", MAPPING}))
                .hasMessage("--schema nope.sql: no such file");
        assertThatThrownBy(() -> SandboxArgs.parse(new String[] {"--no-traffic", "--mapping", "nope.yaml"}))
                .hasMessage("--mapping nope.yaml: no such file");
        assertThatThrownBy(() -> SandboxArgs.parse(new String[] {"--set", "mysql.mapping=x.yaml"}))
                .hasMessageStartingWith("--set mysql.mapping: give the mapping as --mapping FILE");
        assertThatThrownBy(() -> SandboxArgs.parse(new String[] {"--no-traffic", "--mapping"}))
                .hasMessageStartingWith("--mapping needs a value");
    }

    @Test
    void billDaysAMinuteWrittenFiveSecondsLateUnlessSaidOtherwise() {
        SandboxArgs defaults = SandboxArgs.parse(new String[0]);
        assertThat(defaults.billDay).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(defaults.billDelay).isEqualTo(java.time.Duration.ofSeconds(5));
        SandboxArgs a = SandboxArgs.parse(new String[] {"--bill-day", "20", "--bill-delay", "2.5"});
        assertThat(a.billDay).isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(a.billDelay).isEqualTo(java.time.Duration.ofMillis(2500));
        assertThatThrownBy(() -> SandboxArgs.parse(new String[] {"--bill-day", "0.5"}))
                .hasMessage("--bill-day must be at least 1 second");
        assertThatThrownBy(() -> SandboxArgs.parse(new String[] {"--bill-delay", "-1"}))
                .hasMessage("--bill-delay must not be negative");
    }
}
