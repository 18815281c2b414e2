package io.paystream.jobs.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.state.cdc.ShopTable;
import java.util.Map;
import org.apache.flink.cdc.connectors.mysql.table.StartupMode;
import org.junit.jupiter.api.Test;

class ShopCdcSourceTest {

    private static Settings settings(String... args) {
        return Settings.load(args, Map.of(), PaystreamOptions.declaredIn(PaystreamOptions.class));
    }

    @Test
    void refusesAnIncompleteSourceNamingEveryProblem() {
        ShopMapping noPassword = ShopMapping.contract(settings("--mysql.port", "70000"));
        assertThatThrownBy(() -> ShopCdcSource.builder()
                        .mapping(noPassword)
                        .serverIdRange("5401-5400")
                        .startupMode("yesterday")
                        .snapshotChunkSize(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobName is required")
                .hasMessageContaining("at least one table is required")
                .hasMessageContaining("unknown startup mode 'yesterday'")
                .hasMessageContaining("server-id '5401-5400'")
                .hasMessageContaining("setting 'mysql.snapshot-chunk-size' must be at least 1, got 0");
        assertThatThrownBy(() -> ShopCdcSource.builder()
                        .mapping(noPassword)
                        .jobName("j")
                        .serverIdRange("5400")
                        .tables(ShopTable.PAYMENTS)
                        .build())
                .hasMessageContaining("server 'shop': port 70000 is not a TCP port")
                .hasMessageContaining("server 'shop': password is required (setting mysql.password");
    }

    @Test
    void theSnapshotChunkSizeComesFromItsSetting() {
        assertThat(settings().get(PaystreamOptions.MYSQL_SNAPSHOT_CHUNK_SIZE)).isEqualTo(8096);
        assertThat(settings("--mysql.snapshot-chunk-size", "80000").get(PaystreamOptions.MYSQL_SNAPSHOT_CHUNK_SIZE))
                .isEqualTo(80000);
        assertThatThrownBy(() -> ShopCdcSource.fromSettings(
                                settings("--mysql.password", "p", "--mysql.snapshot-chunk-size", "-1"), "j", "5400")
                        .tables(ShopTable.PAYMENTS)
                        .build())
                .hasMessageContaining("setting 'mysql.snapshot-chunk-size' must be at least 1, got -1");
    }

    @Test
    void buildsOneSourceForTheContractSchema() {
        ShopCdcSource cdc = ShopCdcSource.builder()
                .mapping(ShopMapping.contract(settings("--mysql.hostname", "db", "--mysql.password", "p")))
                .jobName("j")
                .serverIdRange("5400-5409")
                .tables(ShopTable.PAYMENTS)
                .build();
        assertThat(cdc.sources()).hasSize(1);
        assertThat(cdc.single()).isNotNull();
        assertThat(ShopChangeStreams.sourceUid(ShopMapping.DEFAULT_SERVER)).isEqualTo("shop-cdc-source");
        assertThat(ShopChangeStreams.sourceUid("paycenter")).isEqualTo("shop-cdc-source-paycenter");
    }

    @Test
    void parsesStartupModes() {
        assertThat(ShopCdcSource.startupOptions("initial").startupMode).isEqualTo(StartupMode.INITIAL);
        assertThat(ShopCdcSource.startupOptions("latest").startupMode).isEqualTo(StartupMode.LATEST_OFFSET);
        assertThat(ShopCdcSource.startupOptions("earliest").startupMode).isEqualTo(StartupMode.EARLIEST_OFFSET);
        assertThat(ShopCdcSource.startupOptions("timestamp:1700000000000").startupMode)
                .isEqualTo(StartupMode.TIMESTAMP);
        assertThat(ShopCdcSource.serverIdCount("5400-5409")).isEqualTo(10);
        assertThat(ShopCdcSource.serverIdCount("5400")).isEqualTo(1);
        assertThatThrownBy(() -> ShopCdcSource.serverIdCount("5409-5400")).isInstanceOf(IllegalArgumentException.class);
    }
}
