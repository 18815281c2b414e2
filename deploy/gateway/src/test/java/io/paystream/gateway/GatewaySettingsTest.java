package io.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewaySettingsTest {
    @Test
    void layersWinInOrderDefaultsFileEnvironmentArguments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.conf");
        Files.writeString(
                file, "# the shop's gateway\ngateway.port: 9000\ngateway.max-in-flight = 50\nkafka.linger: '5 ms'\n");
        GatewaySettings s = GatewaySettings.load(
                new String[] {"--config", file.toString(), "--gateway.max-in-flight", "70"},
                Map.of(
                        "PAYSTREAM_GATEWAY_PORT", "9100",
                        "PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092",
                        "PAYSTREAM_MYSQL_PASSWORD", "a job's setting, not ours: ignored",
                        "PAYSTREAM_GATEWAY_HOST", ""));
        assertThat(s.get(GatewayOptions.PORT)).isEqualTo(9100);
        assertThat(s.get(GatewayOptions.MAX_IN_FLIGHT)).isEqualTo(70);
        assertThat(s.get(GatewayOptions.KAFKA_LINGER)).isEqualTo(Duration.ofMillis(5));
        assertThat(s.get(GatewayOptions.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("kafka:29092");
        assertThat(s.get(GatewayOptions.HOST)).as("an empty variable is unset").isEqualTo("0.0.0.0");
        assertThat(s.get(GatewayOptions.PUBLISH_TIMEOUT)).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.get(GatewayOptions.MAX_BODY_SIZE)).isEqualTo(64 * 1024L);
        assertThat(s.isSet(GatewayOptions.WECHAT_ALLOWLIST)).isFalse();
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheSettingAndWhereItCameFrom() {
        assertThatThrownBy(() -> GatewaySettings.load(
                        new String[] {"--gateway.prot", "80", "--gateway.publish-timeout", "soon", "stray"},
                        Map.of(
                                "PAYSTREAM_GATEWAY_MAX_BODY_SIZE",
                                "64 gb",
                                "PAYSTREAM_CHANNEL_WECHAT_ALLOWLIST",
                                "101.226.103.0/33")))
                .isInstanceOf(InvalidGatewaySettingsException.class)
                .satisfies(
                        e -> assertThat(((InvalidGatewaySettingsException) e).problems())
                                .containsExactlyInAnyOrder(
                                        "unexpected argument 'stray': settings are given as --key value or --key=value",
                                        "unknown setting 'gateway.prot' (did you mean 'gateway.port'?), given by --gateway.prot",
                                        "setting 'gateway.publish-timeout' = 'soon' is invalid (from --gateway.publish-timeout): "
                                                + "not a duration (e.g. 500 ms, 4 s, 2 min)",
                                        "setting 'gateway.max-body-size' = '64 gb' is invalid (from PAYSTREAM_GATEWAY_MAX_BODY_SIZE): "
                                                + "not a size (e.g. 65536, 64 kb, 1 mb)",
                                        "setting 'channel.wechat.allowlist' = '101.226.103.0/33' is invalid (from "
                                                + "PAYSTREAM_CHANNEL_WECHAT_ALLOWLIST): address rule '101.226.103.0/33': prefix out of range"));
    }

    @Test
    void theSaslPasswordIsTakenFromTheEnvironmentOnlyAndNeverShown() {
        assertThatThrownBy(() -> GatewaySettings.load(
                        new String[] {"--kafka.sasl-password", "hunter2", "--kafka.sasl-mechanism", "PLAIN"}, Map.of()))
                .isInstanceOf(InvalidGatewaySettingsException.class)
                .hasMessageContaining(
                        "setting 'kafka.sasl-password' is a secret and is taken from the environment only "
                                + "(given by --kafka.sasl-password): set PAYSTREAM_KAFKA_SASL_PASSWORD instead")
                .hasMessageContaining("setting 'kafka.sasl-username' is required with kafka.sasl-mechanism")
                .hasMessageContaining("does not use SASL")
                .hasMessageNotContaining("hunter2");
        GatewaySettings s = GatewaySettings.load(
                new String[] {
                    "--kafka.sasl-mechanism",
                    "SCRAM-SHA-512",
                    "--kafka.sasl-username",
                    "gw",
                    "--kafka.security-protocol",
                    "SASL_SSL"
                },
                Map.of("PAYSTREAM_KAFKA_SASL_PASSWORD", "hunter2"));
        assertThat(s.toString()).contains("kafka.sasl-password=<secret>").doesNotContain("hunter2");
        assertThat(Publisher.properties(s).getProperty("sasl.jaas.config"))
                .isEqualTo(
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gw\" password=\"hunter2\";");
    }

    @Test
    void theProducerAcknowledgesOnlyWhatEveryInSyncReplicaHasWithinThePublishTimeout() {
        var p = Publisher.properties(
                GatewaySettings.builder().set("gateway.publish-timeout", "3 s").build());
        assertThat(p)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("delivery.timeout.ms", "3000")
                .containsEntry("request.timeout.ms", "2999")
                .containsEntry("max.block.ms", "3000");
    }

    @Test
    void trustedProxiesArePlainCidrs() {
        assertThatThrownBy(() -> GatewaySettings.builder()
                        .set("gateway.trusted-proxies", "deny 10.0.0.0/8")
                        .build())
                .hasMessageContaining("list plain CIDRs");
    }
}
