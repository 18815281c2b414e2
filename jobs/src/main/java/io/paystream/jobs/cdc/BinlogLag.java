package io.paystream.jobs.cdc;

import java.util.function.LongSupplier;

/**
 * How far behind the database one binlog reader is, in milliseconds: the metric {@value #METRIC}.
 *
 * <p>The reader's position is given a time in the database's clock: a binlog row's commit time
 * (whole seconds, as the binlog keeps it), or, at a heartbeat, the heartbeat's own time when the
 * reader was caught up. The lag is now minus that time, so it keeps growing while the reader is
 * stalled (a dead connection, a blocked source) even when the database is idle, and a healthy idle
 * reader stays within the server's heartbeat period (MariaDB/MySQL send one when they have had
 * nothing to send for that long).
 *
 * <p>A heartbeat says "caught up" only when no row was read since the previous heartbeat: a
 * reader working through a backlog also passes heartbeats, and they must not hide it; with rows
 * flowing, the newest row's commit time is the position. Until the reader's first binlog row or
 * heartbeat (during the snapshot) the lag counts from the reader's start.
 *
 * <p>Written by the source task's thread (the reader's record emitter), read by the metric reporter: the position is volatile;
 * the rest is the writer's alone.
 */
public final class BinlogLag {
    /** The gauge's name, on the CDC source's operator (one per server a job reads). */
    public static final String METRIC = "binlogLagMs";

    private final LongSupplier clock;
    private volatile long positionTime;
    /** False until the first binlog row or caught-up heartbeat: the position is the reader's start. */
    private boolean positionKnown;

    private boolean rowsSinceHeartbeat;

    public BinlogLag(LongSupplier clock) {
        this.clock = clock;
        this.positionTime = clock.getAsLong();
    }

    /** A binlog row committed at {@code commitMillis} (the binlog's timestamp; 0 for snapshot rows, ignored). */
    public void onRow(long commitMillis) {
        if (commitMillis <= 0) {
            return;
        }
        rowsSinceHeartbeat = true;
        if (!positionKnown || commitMillis > positionTime) {
            positionTime = commitMillis; // a restored reader's first rows may be older than its start
            positionKnown = true;
        }
    }

    /** A heartbeat of the binlog reader, made at {@code heartbeatMillis}. */
    public void onHeartbeat(long heartbeatMillis) {
        boolean caughtUp = !rowsSinceHeartbeat;
        if (caughtUp && (!positionKnown || heartbeatMillis > positionTime)) {
            positionTime = heartbeatMillis;
            positionKnown = true;
        }
        rowsSinceHeartbeat = false;
    }

    /** Milliseconds the reader is behind the database now; never negative (clock skew). */
    public long lagMs() {
        return Math.max(0, clock.getAsLong() - positionTime);
    }
}
