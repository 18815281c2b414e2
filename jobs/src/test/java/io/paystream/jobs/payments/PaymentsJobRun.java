package io.paystream.jobs.payments;

import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.testing.FailOnce;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.PaymentRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The payments job as the tests run it: the production wiring and sinks, pointed at the test's
 * own database, Kafka topics with a per-test prefix and the simulated channels' test keys, with the
 * payment rows tapped on their way in (to inject a failure).
 */
final class PaymentsJobRun {
    final SimulatedChannels channels = SimulatedChannels.generate();
    final String prefix;
    final Settings settings;
    private final List<String> args = new ArrayList<>();

    PaymentsJobRun(ShopDb db, String prefix, String... extraArgs) throws Exception {
        this.prefix = prefix;
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String t : new String[] {
            "callbacks",
            "query-results",
            "results",
            "requery",
            "alerts",
            "order-commands",
            "dlq",
            "refund-results",
            "refund-requery"
        }) {
            topics.put(prefix + t, 2);
        }
        SharedServers.kafka().createTopics(topics);
        args.addAll(List.of(db.settingsArgs(
                "--kafka.bootstrap-servers",
                SharedServers.kafka().bootstrapServers(),
                "--kafka.group-prefix",
                prefix + "group",
                "--checkpoint.interval",
                "500 ms",
                "--restart.delay",
                "500 ms")));
        for (String t : topics.keySet()) {
            args.add("--kafka.topic." + t.substring(prefix.length()));
            args.add(t);
        }
        Path keys = ScratchDirectories.create(prefix + "keys");
        channels.publish(keys).forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        args.addAll(List.of(extraArgs));
        settings = settings();
    }

    private Settings settings(String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return JobRunner.settings(new PaymentsJob(), all.toArray(new String[0]), Map.of());
    }

    String topic(String role) {
        return prefix + role;
    }

    /**
     * Starts the production job on the test's database and topics, its CDC reading with
     * {@code serverIds}, its payment rows passed through {@code tamper} on their way in.
     */
    JobClient start(String serverIds, int parallelism, UnaryOperator<DataStream<RowChange<PaymentRow>>> tamper)
            throws Exception {
        Settings run = settings("--mysql.server-id", serverIds, "--parallelism", String.valueOf(parallelism));
        PaymentsJob.Inputs inputs = new PaymentsJob.Inputs(run);
        inputs.tapPayments(tamper);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobRunner.define(new PaymentsJob(), run, env, inputs);
        return env.executeAsync(prefix + "job");
    }

    /** The name of the shared failure injector in these runs: {@code FailOnce.arm} it before a run. */
    static final String FAILURE = "payments-job-run";

    /** Fails the job once, when the trigger payment's row passes; a restart from the last checkpoint follows. */
    static FailOnce<RowChange<PaymentRow>> failOnceOn(String paymentId) {
        return new FailOnce<>(FAILURE, c -> paymentId.equals(c.row().paymentId));
    }
}
