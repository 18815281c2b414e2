package io.paystream.sandbox.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.sandbox.SandboxRefusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappingServersTest {
    @Test
    void aServerWithAHostGetsALocalMariaDbAndTheFileKeepsItsLines() throws Exception {
        String yaml = Files.readString(Path.of("../../docs/examples/mall/mall.yaml"));
        MappingServers s = MappingServers.parse("mall.yaml", yaml);
        assertThat(s.hosts()).hasSize(2);
        assertThat(s.hosts().get(0).servers()).containsExactly("shop");
        assertThat(s.hosts().get(1).name()).isEqualTo("paycenter");
        assertThat(s.hosts().get(1).declared()).isEqualTo("paycenter-db.internal:3306");
        assertThat(s.hostOf("paycenter")).isEqualTo(1);

        MappingServers.Rewritten r = s.rewrite(List.of(3400, 3401), "paystream", "/w/cdc.password");
        assertThat(r.linesAdded()).isZero();
        assertThat(r.text().lines().count()).isEqualTo(yaml.lines().count());
        assertThat(r.text())
                .contains("  paycenter:                     # the payment center's own server\n"
                        + "    hostname: 127.0.0.1\n"
                        + "    port: 3401\n"
                        + "    username: paystream\n"
                        + "    password-file: '/w/cdc.password'\n")
                .doesNotContain("paycenter-db.internal");
    }

    @Test
    void aMissingPortIsAddedAndAPasswordVariableBecomesTheSandboxsFile() {
        String yaml = String.join(
                "\n",
                "servers:",
                "  shop:",
                "    hostname: db1.internal   # the order system",
                "    session-time-zone: Asia/Shanghai",
                "  paycenter: {hostname: pc.internal, password-env: PC_PASSWORD}",
                "  ledger:",
                "    hostname: db1.internal",
                "  audit:",
                "    hostname: audit.internal",
                "    password-env: AUDIT",
                "tables: {}",
                "");
        MappingServers s = MappingServers.parse("m.yaml", yaml);
        assertThat(s.hosts())
                .extracting(MappingServers.Host::servers)
                .containsExactly(List.of("shop", "ledger"), List.of("paycenter"), List.of("audit"));
        MappingServers.Rewritten r = s.rewrite(List.of(3306, 4000, 4001), "paystream", "/w/p");
        assertThat(r.linesAdded()).isEqualTo(1);
        assertThat(r.text())
                .isEqualTo(String.join(
                        "\n",
                        "servers:",
                        "  shop:",
                        "    hostname: 127.0.0.1   # the order system",
                        "    session-time-zone: UTC",
                        "  paycenter: {hostname: 127.0.0.1, port: 4000, password-file: '/w/p'}",
                        "  ledger:",
                        "    hostname: 127.0.0.1",
                        "  audit:",
                        "    hostname: 127.0.0.1",
                        "    port: 4001",
                        "    password-file: '/w/p'",
                        "tables: {}",
                        ""));
    }

    @Test
    void noServersIsTheSandboxsMariaDbAndNotYamlIsRefusedNamingTheFile() {
        MappingServers s = MappingServers.parse("m.yaml", "tables: {}\n");
        assertThat(s.hosts()).hasSize(1);
        assertThat(s.rewrite(List.of(3306), "paystream", "/p").text()).isEqualTo("tables: {}\n");
        assertThatThrownBy(() -> MappingServers.parse("bad.yaml", "servers: [\n"))
                .isInstanceOf(SandboxRefusal.class)
                .hasMessageStartingWith("--mapping bad.yaml: not a YAML file");
    }
}
