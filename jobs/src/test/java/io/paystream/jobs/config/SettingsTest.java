package io.paystream.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.jobs.PaystreamJob;
import io.paystream.jobs.PaystreamJobs;
import io.paystream.jobs.runtime.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static final List<ConfigOption<?>> OPTIONS = PaystreamOptions.declaredIn(PaystreamOptions.class);

    @Test
    void laterSourcesWin_defaultsThenFileThenEnvironmentThenArguments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("paystream.conf");
        Files.writeString(file, "# comment\nmysql.hostname: from-file\nmysql.port: 3307\nkafka.group-prefix: 'from-file'\n");
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
                new String[] {"--mysql.hostnam", "db", "--mysql.port", "three", "--checkpoint.interval", "soon", "stray"},
                Map.of(), OPTIONS))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("unknown setting 'mysql.hostnam' (did you mean 'mysql.hostname'?)")
                .hasMessageContaining("setting 'mysql.port' = 'three' is invalid")
                .hasMessageContaining("setting 'checkpoint.interval' = 'soon' is invalid")
                .hasMessageContaining("unexpected argument 'stray'");
    }

    @Test
    void aMissingSecretIsNamedWithHowToSetIt() {
        Settings s = Settings.load(new String[0], Map.of(), OPTIONS);
        assertThatThrownBy(() -> s.required(PaystreamOptions.MYSQL_PASSWORD))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("setting 'mysql.password' is required: pass --mysql.password <value> or set PAYSTREAM_MYSQL_PASSWORD");
    }

    @Test
    void theReadmeDocumentsEverySetting() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        for (ConfigOption<?> o : OPTIONS) {
            assertThat(readme).as("README documents " + o.key()).contains("`" + o.key() + "`");
        }
        for (PaystreamJob job : PaystreamJobs.all()) {
            for (ConfigOption<?> o : JobRunner.options(job)) {
                assertThat(readme).as("README documents " + o.key() + " of " + job.name()).contains("`" + o.key() + "`");
            }
        }
    }
}
