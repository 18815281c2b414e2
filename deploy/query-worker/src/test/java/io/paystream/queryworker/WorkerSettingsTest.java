package io.paystream.queryworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerSettingsTest {
    private static final String SECRET = "sup3r-s3cret-value";

    @Test
    void everyProblemIsReportedAtOnceNamingTheSettingAndNeverTheSecret() {
        assertThatThrownBy(() -> WorkerSettings.load(
                        new String[] {
                            "--query.max-in-flight",
                            "lots",
                            "--query.rate.wechat",
                            "0",
                            "--query.retries",
                            "3",
                            "--channel.alipay.app-private-key",
                            SECRET
                        },
                        Map.of(
                                "PAYSTREAM_QUERY_HMAC_KEYS",
                                "no-equals-sign-" + SECRET,
                                "PAYSTREAM_QUERY_CHANNELS",
                                "WECHAT,PAYPAL")))
                .isInstanceOf(WorkerSettings.InvalidSettingsException.class)
                .satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(m).contains("setting 'kafka.bootstrap-servers' is required");
                    assertThat(m)
                            .contains("setting 'query.max-in-flight' = 'lots' is invalid (from --query.max-in-flight)");
                    assertThat(m).contains("setting 'query.rate.wechat' must be a positive rate");
                    assertThat(m).contains("unknown setting 'query.retries'");
                    assertThat(m).contains("setting 'query.channels' names unknown channel 'PAYPAL'");
                    assertThat(m).contains("setting 'query.hmac-keys' is invalid");
                    assertThat(m)
                            .contains("setting 'channel.wechat.merchant-private-key' is required")
                            .contains("PAYSTREAM_CHANNEL_WECHAT_MERCHANT_PRIVATE_KEY");
                    assertThat(m)
                            .contains("setting 'channel.alipay.app-private-key' is a secret and must not be on the"
                                    + " command line");
                    assertThat(m).doesNotContain(SECRET);
                });
    }

    @Test
    void laterLayersWinFileThenEnvironmentThenArguments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("worker.yaml");
        Files.writeString(
                file,
                "# the worker\nkafka.bootstrap-servers: file:9092\nquery.max-attempts: 4\n"
                        + "query.request-timeout: 3s\nquery.channels: ALIPAY\n");
        WorkerSettings s = WorkerSettings.load(
                new String[] {"--config", file.toString(), "--query.max-attempts=9"},
                Map.of(
                        "PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                        "PAYSTREAM_QUERY_HMAC_KEYS", "qw-1=" + SECRET,
                        "PAYSTREAM_CHANNEL_ALIPAY_APP_ID", "2021",
                        "PAYSTREAM_CHANNEL_ALIPAY_APP_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----x",
                        "PAYSTREAM_CHANNEL_ALIPAY_PUBLIC_KEY", "/keys/alipay.pem"));
        assertThat(s.get(WorkerSettings.KAFKA_BOOTSTRAP)).isEqualTo("env:9092");
        assertThat(s.getInt(WorkerSettings.MAX_ATTEMPTS)).isEqualTo(9);
        assertThat(s.getDuration(WorkerSettings.REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.channels()).containsExactly("ALIPAY");
        assertThat(s.toString()).doesNotContain(SECRET).contains("query.hmac-keys=******");
    }

    @Test
    void anUnreadableKeyStopsTheStartNamingItsSettingButNotItsValue() {
        WorkerSettings s = WorkerSettings.of(Map.of(
                "kafka.bootstrap-servers", "localhost:1",
                "query.hmac-keys", "qw-1=" + SECRET,
                "query.channels", "ALIPAY",
                "query.http.port", "0",
                "channel.alipay.app-id", "2021",
                "channel.alipay.app-private-key", "-----BEGIN PRIVATE KEY-----" + SECRET,
                "channel.alipay.public-key", "/nonexistent/alipay.pem"));
        assertThatThrownBy(() -> QueryWorker.start(s))
                .isInstanceOf(WorkerSettings.InvalidSettingsException.class)
                .hasMessageContaining("setting 'channel.alipay.app-private-key': not an RSA private key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }
}
