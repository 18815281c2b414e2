package io.paystream.jobs.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The binlog lag's computation on a clock of the test's own: rows, heartbeats, stalls and backlogs. */
class BinlogLagTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final BinlogLag lag = new BinlogLag(now::get);

    @Test
    void countsFromTheReadersStartUntilItsFirstBinlogEvent() {
        advance(3_000);
        lag.onRow(0); // snapshot rows have no commit time
        assertThat(lag.lagMs()).isEqualTo(3_000);
    }

    @Test
    void anIdleReaderWithHeartbeatsStaysWithinTheHeartbeatPeriod() {
        for (int i = 0; i < 10; i++) {
            advance(4_000);
            lag.onHeartbeat(now.get());
            assertThat(lag.lagMs()).isZero();
            advance(3_900);
            assertThat(lag.lagMs()).isEqualTo(3_900);
            lag.onHeartbeat(now.get());
            assertThat(lag.lagMs()).isZero();
        }
    }

    @Test
    void keepsGrowingWhileNothingArrivesEvenWhenTheDatabaseIsIdle() {
        lag.onHeartbeat(now.get());
        advance(30_000);
        assertThat(lag.lagMs()).isEqualTo(30_000);
        advance(60_000);
        assertThat(lag.lagMs()).isEqualTo(90_000);
        // the reader is back: the first heartbeat says it is caught up
        lag.onHeartbeat(now.get());
        assertThat(lag.lagMs()).isZero();
    }

    @Test
    void rowsTellTheirCommitTime() {
        lag.onHeartbeat(now.get());
        advance(5_000);
        lag.onRow(now.get() - 1_500);
        assertThat(lag.lagMs()).isEqualTo(1_500);
    }

    @Test
    void heartbeatsAmongABacklogDoNotHideIt() {
        // Restored from a checkpoint a minute back: rows of a minute ago, heartbeats passing between them.
        long commit = now.get() - 60_000;
        for (int i = 0; i < 20; i++) {
            lag.onRow(commit);
            advance(500);
            lag.onHeartbeat(now.get());
            assertThat(lag.lagMs()).as("step %d", i).isEqualTo(now.get() - commit);
            commit += 2_000; // reading faster than the database wrote: catching up
        }
        assertThat(lag.lagMs()).isEqualTo(60_500 - 19 * 1_500);
    }

    @Test
    void withRowsFlowingTheNewestRowsCommitTimeIsThePosition() {
        lag.onHeartbeat(now.get());
        for (int i = 0; i < 5; i++) {
            advance(1_000);
            lag.onRow(now.get() - 200); // steady traffic, read at once
            advance(300);
            lag.onHeartbeat(now.get());
            assertThat(lag.lagMs()).isEqualTo(500);
        }
        advance(4_000);
        lag.onHeartbeat(now.get()); // then quiet: the server's heartbeat says caught up
        assertThat(lag.lagMs()).isZero();
    }

    @Test
    void oldRowsThenIdleCatchUpAtTheNextHeartbeat() {
        lag.onHeartbeat(now.get());
        advance(10_000);
        lag.onRow(now.get() - 9_000); // the last of a backlog
        lag.onHeartbeat(now.get()); // rows since the last heartbeat older than it: not caught up
        assertThat(lag.lagMs()).isEqualTo(9_000);
        advance(4_000);
        lag.onHeartbeat(now.get()); // nothing read since: caught up
        assertThat(lag.lagMs()).isZero();
    }

    @Test
    void neverNegativeWhenTheDatabaseClockIsAhead() {
        lag.onRow(now.get() + 2_000);
        assertThat(lag.lagMs()).isZero();
    }

    private void advance(long ms) {
        now.addAndGet(ms);
    }
}
