package io.paystream.jobs;

import io.paystream.jobs.config.Settings;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One deployable paystream job, as the job jar's entry points, the sandbox and the cluster scripts
 * see it: a stable name, its own settings beside the shared ones, and how to wire it from settings.
 */
public interface PaystreamJob {

    /** Stable name: part of consumer group ids, transactional ids and dead letters. Never rename. */
    String name();

    /** One line for people: what the job guards. */
    String description();

    /** This job's settings beyond {@link io.paystream.jobs.config.PaystreamOptions}. */
    default List<ConfigOption<?>> options() {
        return List.of();
    }

    /** Wires the job's real sources, functions and sinks into {@code env}. */
    void define(StreamExecutionEnvironment env, Settings settings);

    /** The business counters (Flink metric names) the sandbox status line shows, in order. */
    default List<String> statusMetrics() {
        return List.of();
    }

    /**
     * Extra status text for the sandbox, read from the job's outputs given its settings (e.g. a few
     * live values from Redis); empty for none. Called every few seconds: keep it cheap.
     */
    default String statusText(Settings settings) {
        return "";
    }
}
