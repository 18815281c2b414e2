package io.paystream.jobs.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.cdc.ShopTable;
import org.apache.flink.cdc.connectors.mysql.table.StartupMode;
import org.junit.jupiter.api.Test;

class ShopCdcSourceTest {

    @Test
    void refusesAnIncompleteSourceNamingEveryProblem() {
        assertThatThrownBy(() -> ShopCdcSource.builder()
                        .port(70000)
                        .serverIdRange("5400-5401")
                        .parallelism(4)
                        .startupMode("yesterday")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hostname is required")
                .hasMessageContaining("port 70000 is not a TCP port")
                .hasMessageContaining("password is required")
                .hasMessageContaining("at least one table is required")
                .hasMessageContaining("unknown startup mode 'yesterday'")
                .hasMessageContaining("server-id range 5400-5401 has 2 ids for parallelism 4");
    }

    @Test
    void buildsACompleteSource() {
        assertThat(ShopCdcSource.builder()
                        .hostname("db")
                        .username("u")
                        .password("p")
                        .jobName("j")
                        .serverIdRange("5400-5409")
                        .tables(ShopTable.PAYMENTS)
                        .build())
                .isNotNull();
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
