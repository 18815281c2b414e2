package io.paystream.soak;

import java.util.ArrayList;
import java.util.List;

/** The kinds of failure the soak injects, by the name {@code --faults} takes. */
enum FaultKind {
    /**
     * {@code kill -9} of the TaskManager running the most tasks, a new one started: its jobs restore
     * their last checkpoint on the standby TaskManager's free slots meanwhile.
     */
    TASKMANAGER("taskmanager"),
    /** {@code kill -9} of the JobManager, started again: with HA the jobs recover from ZooKeeper. */
    JOBMANAGER("jobmanager"),
    /** {@code kill -9} of the Kafka broker, back on the same data a few seconds later. */
    KAFKA("kafka"),
    /** Elasticsearch frozen ({@code SIGSTOP}) or killed for 30-90 s, then back. */
    ELASTICSEARCH("elasticsearch"),
    /** {@code kill -9} of Redis (no persistence: it comes back empty). */
    REDIS("redis"),
    /** {@code kill -9} of MariaDB, back on the same data and binlog. */
    MARIADB("mariadb"),
    /** Stop with a savepoint and resume a job mid-traffic (the first time at another parallelism). */
    SAVEPOINT("savepoint"),
    /** Records that are no notification at all on the input topics. */
    GARBAGE("garbage");

    final String label;

    FaultKind(String label) {
        this.label = label;
    }

    static FaultKind named(String label) {
        for (FaultKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        List<String> names = new ArrayList<>();
        for (FaultKind k : values()) {
            names.add(k.label);
        }
        throw new IllegalArgumentException(
                "--faults: no fault kind '" + label + "'; kinds: " + String.join(",", names));
    }
}
