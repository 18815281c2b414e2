package io.paystream.soak;

/**
 * One injected failure and how the system came through it.
 *
 * @param startedAt when the failure began (epoch ms)
 * @param backAt when the failed part was back (restarted, thawed, resubmitted; epoch ms)
 * @param recoveredAt when outputs were flowing again (every job running, a checkpoint after {@code
 *     backAt}, and a change committed after it visible in Elasticsearch and Redis), or -1 if never
 * @param flowingAt when outputs were flowing again with a checkpoint after {@code startedAt}
 *     instead, watched before the failed part came back: a TaskManager's kill, whose jobs restart
 *     on the standby's slots before the replacement starts (-1: not watched, or never)
 * @param detail what exactly was done
 */
record Fault(FaultKind kind, long startedAt, long backAt, long recoveredAt, long flowingAt, String detail) {
    Fault(FaultKind kind, long startedAt, long backAt, long recoveredAt, String detail) {
        this(kind, startedAt, backAt, recoveredAt, -1, detail);
    }

    Fault recovered(long at) {
        return new Fault(kind, startedAt, backAt, at, flowingAt, detail);
    }

    /** Time from the part being back to outputs flowing again, in ms (-1: did not recover). */
    long recoveryMs() {
        return recoveredAt < 0 ? -1 : recoveredAt - backAt;
    }

    /** Time from the failure to outputs flowing again, in ms (-1: did not recover). */
    long outageMs() {
        return recoveredAt < 0 ? -1 : recoveredAt - startedAt;
    }

    /**
     * Time from the failure itself to outputs flowing again, in ms: {@link #flowingAt} where it was
     * watched (while the part came back), else {@link #outageMs} (-1: did not recover).
     */
    long fromFailureMs() {
        return flowingAt >= 0 ? flowingAt - startedAt : outageMs();
    }
}
