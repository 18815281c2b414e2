package io.paystream.jobs.redis;

/**
 * Tells whether Redis may have lost keys the writer wrote, from three signs read on every flush:
 * the server's {@code run_id} (a restarted Redis has a new one and, without persistence, none of
 * our keys), its {@code evicted_keys} counter (keys dropped under memory pressure: we cannot know
 * which, so any increase counts) and the writer's own marker key (gone after FLUSHALL, FLUSHDB, a
 * failover to an empty replica, a manual delete, or when the writer never wrote to this Redis).
 * A dropped connection counts as a loss too, in the writer: a write may not have landed.
 *
 * <p>Not thread-safe; one per writer subtask.
 */
public final class RedisLossProbe {
    private String runId;
    private long evictedKeys = -1;

    /**
     * Reads one observation and returns why Redis lost (or may have lost) keys since the last one,
     * or null if nothing suggests so. The first observation only sets the baselines of run_id and
     * evictions; the marker is checked every time.
     *
     * @param infoServer the answer to {@code INFO server}
     * @param infoStats the answer to {@code INFO stats}
     * @param markerPresent whether the writer's marker key exists
     */
    public String observe(String infoServer, String infoStats, boolean markerPresent) {
        String newRunId = field(infoServer, "run_id");
        String evicted = field(infoStats, "evicted_keys");
        long newEvicted = evicted == null ? -1 : Long.parseLong(evicted.trim());
        String reason = null;
        if (runId != null && newRunId != null && !runId.equals(newRunId)) {
            reason = "Redis restarted (run_id " + runId + " -> " + newRunId + ")";
        } else if (evictedKeys >= 0 && newEvicted > evictedKeys) {
            reason = "Redis evicted " + (newEvicted - evictedKeys) + " keys";
        } else if (!markerPresent) {
            reason = "the marker key is missing (flushed, failed over, or never written)";
        }
        if (newRunId != null) {
            runId = newRunId;
        }
        if (newEvicted >= 0) {
            evictedKeys = newEvicted;
        }
        return reason;
    }

    /** The run_id of the last observation, null before the first. */
    public String runId() {
        return runId;
    }

    /** A {@code name:value} line of an INFO answer, null if absent. */
    static String field(String info, String name) {
        if (info == null) {
            return null;
        }
        String prefix = name + ":";
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }
}
