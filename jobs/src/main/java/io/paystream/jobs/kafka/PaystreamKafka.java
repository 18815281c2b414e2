package io.paystream.jobs.kafka;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.kafka.KafkaRecord;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * Kafka sources and sinks of the paystream jobs, configured one way: input topics are read
 * read_committed from the committed offsets (earliest on a first start); outputs are either
 * exactly-once (transactional, visible when a checkpoint completes) or at-least-once.
 */
public final class PaystreamKafka {
    private PaystreamKafka() {}

    /** One of the input topics ({@code payment.callbacks}, {@code payment.query-results}) as raw records. */
    public static KafkaSource<KafkaRecord> inputSource(Settings settings, ConfigOption<String> topic, String jobName) {
        return KafkaSource.<KafkaRecord>builder()
                .setBootstrapServers(settings.get(PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS))
                .setTopics(settings.get(topic))
                .setGroupId(settings.get(PaystreamOptions.KAFKA_GROUP_PREFIX) + "-" + jobName)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setProperty(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        IsolationLevel.READ_COMMITTED.toString().toLowerCase())
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setDeserializer(new KafkaRecordDeserializer())
                .build();
    }

    /**
     * A transactional sink: records become visible to read_committed consumers when the checkpoint
     * that covers them completes, so the checkpoint interval adds to their latency.
     */
    public static <T> KafkaSink<T> exactlyOnceSink(
            Settings settings, String jobName, String sinkName, KafkaRecordSerializationSchema<T> serializer) {
        Properties producer = new Properties();
        producer.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(
                        settings.get(PaystreamOptions.KAFKA_TRANSACTION_TIMEOUT).toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.get(PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("paystream-" + jobName + "-" + sinkName)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .build();
    }

    /** An at-least-once sink: for outputs whose consumers dedupe, or diagnostics. */
    public static <T> KafkaSink<T> atLeastOnceSink(Settings settings, KafkaRecordSerializationSchema<T> serializer) {
        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.get(PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .build();
    }

    /**
     * The dead-letter sink ({@code paystream.dlq}). At-least-once: a dead letter is a diagnostic
     * that may repeat after a restore, and it is flushed on every checkpoint so none is lost.
     */
    public static KafkaSink<DeadLetter> deadLetterSink(Settings settings, String jobName) {
        return atLeastOnceSink(settings, new DeadLetterSerializer(settings.get(PaystreamOptions.TOPIC_DLQ), jobName));
    }

    /** The alerts of {@code jobName} to {@code payment.alerts}, exactly once, keyed as docs/contract.md says (uid alerts-sink). */
    public static void sinkAlerts(DataStream<Alert> alerts, Settings settings, String jobName) {
        alerts.sinkTo(exactlyOnceSink(
                        settings,
                        jobName,
                        "alerts",
                        new JsonRecordSerializer<Alert>(settings.get(PaystreamOptions.TOPIC_ALERTS), Alert::kafkaKey)))
                .uid("alerts-sink")
                .name("Alerts to Kafka");
    }

    /** The order commands of {@code jobName} to {@code order.commands}, exactly once (uid order-commands-sink). */
    public static void sinkOrderCommands(DataStream<OrderCommand> commands, Settings settings, String jobName) {
        commands.sinkTo(exactlyOnceSink(
                        settings,
                        jobName,
                        "order-commands",
                        new JsonRecordSerializer<OrderCommand>(
                                settings.get(PaystreamOptions.TOPIC_ORDER_COMMANDS), OrderCommand::kafkaKey)))
                .uid("order-commands-sink")
                .name("Order commands to Kafka");
    }

    /** The dead letters of {@code jobName} to {@code paystream.dlq}, at least once (uid dlq-sink). */
    public static void sinkDeadLetters(DataStream<DeadLetter> deadLetters, Settings settings, String jobName) {
        deadLetters.sinkTo(deadLetterSink(settings, jobName)).uid("dlq-sink").name("Dead letters to Kafka");
    }
}
