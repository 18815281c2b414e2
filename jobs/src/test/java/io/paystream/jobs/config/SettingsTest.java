package io.paystream.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static final List<ConfigOption<?>> OPTIONS = PaystreamOptions.declaredIn(PaystreamOptions.class);

    @Test
    void laterSourcesWin_defaultsThenFileThenEnvironmentThenArguments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("paystream.conf");
        Files.writeString(
                file, "# comment\nmysql.hostname: from-file\nmysql.port: 3307\nkafka.group-prefix: 'from-file'\n");
        Settings s = Settings.load(
                new String[] {"--config", file.toString(), "--mysql.port=3309", "--checkpoint.interval", "500 ms"},
                Map.of("PAYSTREAM_MYSQL_PORT", "3308", "PAYSTREAM_MYSQL_PASSWORD", "s3cret", "HOME", "/root"),
                OPTIONS);
        assertThat(s.get(PaystreamOptions.MYSQL_HOSTNAME)).isEqualTo("from-file");
        assertThat(s.get(PaystreamOptions.MYSQL_PORT)).isEqualTo(3309);
        assertThat(s.get(PaystreamOptions.MYSQL_PASSWORD)).isEqualTo("s3cret");
        assertThat(s.get(PaystreamOptions.KAFKA_GROUP_PREFIX)).isEqualTo("from-file");
        assertThat(s.get(PaystreamOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMillis(500));
        assertThat(s.get(PaystreamOptions.TOPIC_DLQ)).isEqualTo("paystream.dlq");
    }

    @Test
    void failsFastNamingEveryBadSetting() {
        assertThatThrownBy(() -> Settings.load(
                        new String[] {
                            "--mysql.hostnam", "db", "--mysql.port", "three", "--checkpoint.interval", "soon", "stray"
                        },
                        Map.of(),
                        OPTIONS))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("unknown setting 'mysql.hostnam' (did you mean 'mysql.hostname'?)")
                .hasMessageContaining("setting 'mysql.port' = 'three' is invalid (from --mysql.port)")
                .hasMessageContaining("setting 'checkpoint.interval' = 'soon' is invalid")
                .hasMessageContaining("unexpected argument 'stray'");
    }

    @Test
    void theFlinkConfigurationIsTheLowestLayerAboveTheDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("paystream.conf");
        Files.writeString(file, "mysql.port: 3307\n");
        Map<String, String> flink = Map.of(
                "paystream.mysql.hostname", "db.internal",
                "paystream.mysql.port", "3306",
                "paystream.kafka.bootstrap-servers", "kafka-0:9092",
                "paystream.checkpoint.interval", "5 s",
                "state.backend.type", "rocksdb"); // Flink's own keys are Flink's business
        Settings s = Settings.load(
                flink,
                Set.of(),
                new String[] {"--config", file.toString(), "--checkpoint.interval", "1 s"},
                Map.of("PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092", "PAYSTREAM_MYSQL_PASSWORD", "s3cret"),
                OPTIONS);
        assertThat(s.get(PaystreamOptions.MYSQL_HOSTNAME)).isEqualTo("db.internal");
        assertThat(s.get(PaystreamOptions.MYSQL_PORT))
                .as("file over Flink configuration")
                .isEqualTo(3307);
        assertThat(s.get(PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS))
                .as("environment over Flink configuration")
                .isEqualTo("kafka-1:9092");
        assertThat(s.get(PaystreamOptions.CHECKPOINT_INTERVAL))
                .as("arguments over everything")
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anUnknownPaystreamKeyInTheFlinkConfigurationIsRefusedWithASuggestion() {
        assertThatThrownBy(() -> Settings.load(
                        Map.of("paystream.mysql.hostnme", "db", "paystream.checkpoint.interval", "often"),
                        Set.of(),
                        new String[0],
                        Map.of(),
                        OPTIONS))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining(
                        "unknown setting 'mysql.hostnme' in the Flink configuration (paystream.mysql.hostnme) "
                                + "(did you mean 'paystream.mysql.hostname'?)")
                .hasMessageContaining(
                        "setting 'checkpoint.interval' = 'often' is invalid (from Flink configuration paystream.checkpoint.interval)");
    }

    @Test
    void aSharedClusterConfigurationMayHoldOtherJobsSettings() {
        Map<String, String> cluster =
                Map.of("paystream.search.index", "orders-v2", "paystream.requery.schedule", "5s,10s");
        Settings payments = JobRunner.settings(PaystreamJobs.named("payments"), cluster, new String[0], Map.of());
        assertThat(payments.toConfiguration().toMap())
                .containsEntry("requery.schedule", "5s,10s")
                .doesNotContainKey("search.index");
        Settings search = JobRunner.settings(PaystreamJobs.named("order-search"), cluster, new String[0], Map.of());
        assertThat(search.toConfiguration().toMap())
                .containsEntry("search.index", "orders-v2")
                .doesNotContainKey("requery.schedule");
        // A key no paystream job knows is still refused, with the nearest key of any job.
        assertThatThrownBy(() -> JobRunner.settings(
                        PaystreamJobs.named("payments"), Map.of("paystream.search.indx", "x"), new String[0], Map.of()))
                .hasMessageContaining(
                        "unknown setting 'search.indx' in the Flink configuration (paystream.search.indx) "
                                + "(did you mean 'paystream.search.index'?)");
    }

    @Test
    void secretsAreRefusedInTheFlinkConfiguration() {
        assertThatThrownBy(() -> JobRunner.settings(
                        PaystreamJobs.named("payments"),
                        Map.of("paystream.mysql.password", "s3cret", "paystream.query.hmac-keys", "qw-1=abc"),
                        new String[0],
                        Map.of()))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining(
                        "setting 'mysql.password' is a secret and must not be in the Flink configuration "
                                + "(paystream.mysql.password), which Flink logs and shows in its web UI: set PAYSTREAM_MYSQL_PASSWORD instead")
                .hasMessageContaining("setting 'query.hmac-keys' is a secret")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void theSecretsAreExactlyThePasswordTheChannelSecretsAndTheQueryKeys() {
        Set<String> secrets = new TreeSet<>();
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            JobRunner.options(job).stream()
                    .filter(Settings::isSecret)
                    .map(ConfigOption::key)
                    .forEach(secrets::add);
        }
        assertThat(secrets)
                .containsExactly(
                        "channel.unionpay.hmac-secret",
                        "channel.wechat.apiv3-key",
                        "mysql.password",
                        "query.hmac-keys");
    }

    @Test
    void aSecretIsDeclaredByItsFlagNotByWordsInItsDescription() {
        ConfigOption<String> described = ConfigOptions.key("test.described")
                .stringType()
                .noDefaultValue()
                .withDescription("Looks like one (secret: PAYSTREAM_TEST_DESCRIBED).");
        ConfigOption<String> flagged = PaystreamOptions.secret(
                ConfigOptions.key("test.flagged").stringType().noDefaultValue().withDescription("A token."));
        assertThat(Settings.isSecret(described)).isFalse();
        assertThat(Settings.isSecret(flagged)).isTrue();
    }

    @Test
    void anEmptyEnvironmentVariableCountsAsUnset() {
        Settings s = Settings.load(
                new String[0], Map.of("PAYSTREAM_MYSQL_HOSTNAME", "", "PAYSTREAM_MYSQL_PASSWORD", ""), OPTIONS);
        assertThat(s.get(PaystreamOptions.MYSQL_HOSTNAME)).isEqualTo("localhost");
        assertThatThrownBy(() -> s.required(PaystreamOptions.MYSQL_PASSWORD))
                .hasMessageContaining("'mysql.password' is required");
    }

    @Test
    void aMissingSecretIsNamedWithHowToSetIt() {
        Settings s = Settings.load(new String[0], Map.of(), OPTIONS);
        assertThatThrownBy(() -> s.required(PaystreamOptions.MYSQL_PASSWORD))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining(
                        "setting 'mysql.password' is required: pass --mysql.password <value> or set PAYSTREAM_MYSQL_PASSWORD");
    }

    @Test
    void everyJobRefusesToStartWithoutTheDatabasePasswordOrWithAMalformedTimeout() {
        Map<String, String> cluster =
                Map.of("paystream.mysql.hostname", "mysql", "paystream.kafka.bootstrap-servers", "kafka:29092");
        Map<String, String> channelSecrets = Map.of(
                "PAYSTREAM_QUERY_HMAC_KEYS",
                "qw-1=secret",
                "PAYSTREAM_CHANNEL_UNIONPAY_MER_ID",
                "777290058110048",
                "PAYSTREAM_CHANNEL_UNIONPAY_HMAC_SECRET",
                "secret");
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            Settings s = JobRunner.settings(job, cluster, new String[0], channelSecrets);
            assertThatThrownBy(() -> JobRunner.define(job, s, StreamExecutionEnvironment.getExecutionEnvironment()))
                    .as(job.name())
                    .isInstanceOf(InvalidSettingsException.class)
                    .hasMessageContaining(
                            "setting 'mysql.password' is required: pass --mysql.password <value> or set PAYSTREAM_MYSQL_PASSWORD");
        }
        assertThatThrownBy(() -> JobRunner.settings(
                        PaystreamJobs.named("payments"),
                        cluster,
                        new String[0],
                        Map.of("PAYSTREAM_REQUERY_ANSWER_TIMEOUT", "soon", "PAYSTREAM_MYSQL_PASSWORD", "s3cret")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining(
                        "setting 'requery.answer-timeout' = 'soon' is invalid (from PAYSTREAM_REQUERY_ANSWER_TIMEOUT)");
    }

    @Test
    void theReadmeDocumentsEverySetting() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        for (ConfigOption<?> o : OPTIONS) {
            assertThat(readme).as("README documents " + o.key()).contains("`" + o.key() + "`");
        }
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            for (ConfigOption<?> o : JobRunner.options(job)) {
                assertThat(readme)
                        .as("README documents " + o.key() + " of " + job.name())
                        .contains("`" + o.key() + "`");
            }
        }
    }
}
