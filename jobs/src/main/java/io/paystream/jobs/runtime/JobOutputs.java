package io.paystream.jobs.runtime;

import io.paystream.state.dlq.DeadLetter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A job's named outputs, before the sinks. Dead letters are an output of every job: rows and
 * records it could not use, with the reason ({@code paystream.dlq}).
 */
public abstract class JobOutputs {
    /** The name of the dead letters in {@link #byName()}. */
    public static final String DEAD_LETTERS = "dead-letters";

    public final DataStream<DeadLetter> deadLetters;

    protected JobOutputs(DataStream<DeadLetter> deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** The job's outputs other than the dead letters, by name, in a stable order. */
    protected abstract Map<String, DataStream<?>> named();

    /** Every output by name, the dead letters last: for tests that collect or discard outputs. */
    public final Map<String, DataStream<?>> byName() {
        Map<String, DataStream<?>> all = new LinkedHashMap<>(named());
        all.put(DEAD_LETTERS, deadLetters);
        return all;
    }
}
