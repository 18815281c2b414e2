package io.paystream.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisLossProbeTest {
    private static String server(String runId) {
        return "# Server\r\nredis_version:6.2.6\r\nrun_id:" + runId + "\r\ntcp_port:6379\r\n";
    }

    private static String stats(long evicted) {
        return "# Stats\r\nexpired_keys:12\r\nevicted_keys:" + evicted + "\r\nkeyspace_hits:3\r\n";
    }

    @Test
    void aFirstObservationWithTheMarkerIsNoLossAndOneWithoutItIs() {
        assertThat(new RedisLossProbe().observe(server("a"), stats(5), true)).isNull();
        assertThat(new RedisLossProbe().observe(server("a"), stats(5), false)).contains("marker");
    }

    @Test
    void aNewRunIdIsARestart() {
        RedisLossProbe probe = new RedisLossProbe();
        probe.observe(server("a"), stats(0), true);
        assertThat(probe.observe(server("a"), stats(0), true)).isNull();
        assertThat(probe.observe(server("b"), stats(0), true))
                .contains("restarted")
                .contains("a -> b");
        assertThat(probe.observe(server("b"), stats(0), true))
                .as("once per restart")
                .isNull();
        assertThat(probe.runId()).isEqualTo("b");
    }

    @Test
    void anyEvictionIsALossExpiriesAreNot() {
        RedisLossProbe probe = new RedisLossProbe();
        probe.observe(server("a"), stats(7), true);
        assertThat(probe.observe(server("a"), stats(7).replace("expired_keys:12", "expired_keys:90"), true))
                .isNull();
        assertThat(probe.observe(server("a"), stats(9), true)).contains("evicted 2 keys");
        assertThat(probe.observe(server("a"), stats(9), true)).isNull();
    }

    @Test
    void aFlushShowsAsAMissingMarker() {
        RedisLossProbe probe = new RedisLossProbe();
        probe.observe(server("a"), stats(0), true);
        assertThat(probe.observe(server("a"), stats(0), false)).contains("marker");
    }

    @Test
    void readsInfoFields() {
        assertThat(RedisLossProbe.field(server("xyz"), "run_id")).isEqualTo("xyz");
        assertThat(RedisLossProbe.field(stats(4), "evicted_keys")).isEqualTo("4");
        assertThat(RedisLossProbe.field("", "run_id")).isNull();
    }
}
