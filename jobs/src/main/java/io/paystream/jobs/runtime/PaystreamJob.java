package io.paystream.jobs.runtime;

import io.paystream.jobs.config.Settings;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One deployable paystream job: a stable name, its own settings beside the shared ones, its inputs
 * ({@code I}: the real sources, or a test's), its named outputs ({@code O}, dead letters among them)
 * and one wiring step from the inputs to the outputs. {@link JobRunner} runs it with the real inputs
 * and sinks; the integration tests, benchmarks, the graph audit and the savepoint fixtures run the
 * same wiring with inputs or sinks of their own, so the graph they exercise is the one that ships.
 *
 * <p>Every operator's uid is given in {@link #wire} or {@link #sinkTo}: savepoints map state to
 * operators by uid.
 *
 * @param <I> the job's inputs
 * @param <O> the job's outputs
 */
public interface PaystreamJob<I extends JobInputs, O extends JobOutputs> {

    /** Stable name: part of consumer group ids, transactional ids and dead letters. Never rename. */
    String name();

    /** One line for people: what the job guards. */
    String description();

    /** This job's settings beyond {@link io.paystream.jobs.config.PaystreamOptions}. */
    default List<ConfigOption<?>> options() {
        return List.of();
    }

    /** The real inputs: the shop's tables by CDC and the job's Kafka topics, from the settings. */
    I inputs(Settings settings);

    /** The one wiring step: from the inputs, through the business functions, to the named outputs. */
    O wire(StreamExecutionEnvironment env, I inputs, Settings settings);

    /** Attaches the real sinks (Kafka, Redis, Elasticsearch) to every output. */
    void sinkTo(O outputs, Settings settings);
}
