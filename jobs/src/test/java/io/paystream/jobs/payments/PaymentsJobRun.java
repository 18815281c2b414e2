package io.paystream.jobs.payments;

import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.cdc.ShopCdcSource;
import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.PaystreamKafka;
import io.paystream.jobs.runtime.JobEnvironment;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.servers.SharedServers;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.shop.PaymentRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The payments job as the tests run it: real CDC from its own database, real Kafka topics with a
 * per-test prefix, the simulated channels' test keys, and a hook to tamper with the payment rows
 * on their way in (to inject a failure).
 */
final class PaymentsJobRun {
    final SimulatedChannels channels = SimulatedChannels.generate();
    final String prefix;
    final Settings settings;

    PaymentsJobRun(ShopDb db, String prefix, String... extraArgs) throws Exception {
        this.prefix = prefix;
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String t :
                new String[] {"callbacks", "query-results", "results", "requery", "alerts", "order-commands", "dlq"}) {
            topics.put(prefix + t, 2);
        }
        SharedServers.kafka().createTopics(topics);
        List<String> args = new ArrayList<>(List.of(db.settingsArgs(
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
        Path keys = Files.createTempDirectory(prefix + "keys");
        channels.publish(keys).forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        args.addAll(List.of(extraArgs));
        settings = JobRunner.settings(new PaymentsJob(), args.toArray(new String[0]), Map.of());
    }

    String topic(String role) {
        return prefix + role;
    }

    JobClient start(String serverIds, int parallelism, UnaryOperator<DataStream<RowChange<PaymentRow>>> tamper)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, settings);
        env.setParallelism(parallelism);
        ShopChangeStreams shop = ShopChangeStreams.read(
                env,
                ShopCdcSource.fromSettings(settings, prefix + "job", serverIds)
                        .tables(ShopTable.PAYMENTS, ShopTable.ORDERS)
                        .build());
        DataStream<KafkaRecord> callbacks = env.fromSource(
                        PaystreamKafka.inputSource(settings, PaystreamOptions.TOPIC_CALLBACKS, "test"),
                        WatermarkStrategy.noWatermarks(),
                        "callbacks",
                        ShopTypes.KAFKA_RECORD)
                .uid("callbacks-source");
        DataStream<KafkaRecord> answers = env.fromSource(
                        PaystreamKafka.inputSource(settings, PaystreamOptions.TOPIC_QUERY_RESULTS, "test"),
                        WatermarkStrategy.noWatermarks(),
                        "query-results",
                        ShopTypes.KAFKA_RECORD)
                .uid("query-results-source");
        PaymentsJob.Outputs out =
                PaymentsJob.build(tamper.apply(shop.payments()), shop.orders(), callbacks.union(answers), settings);
        PaymentsJob.sinkTo(out.withDeadLetters(shop.deadLetters()), settings);
        return env.executeAsync(prefix + "job");
    }

    /** Set when {@link FailOnceOn} has failed the job (tests run one at a time in their JVM). */
    static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    /** Fails the job once, when the trigger payment's row passes; a restart from the last checkpoint follows. */
    static final class FailOnceOn implements MapFunction<RowChange<PaymentRow>, RowChange<PaymentRow>> {
        private final String paymentId;

        FailOnceOn(String paymentId) {
            this.paymentId = paymentId;
        }

        @Override
        public RowChange<PaymentRow> map(RowChange<PaymentRow> c) {
            if (paymentId.equals(c.row().paymentId) && FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
            return c;
        }
    }
}
