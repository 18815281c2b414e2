package io.paystream.jobs.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.state.dlq.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A dead letter as the JSON of docs/contract.md, keyed by its source. */
final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final String jobName;

    DeadLetterSerializer(String topic, String jobName) {
        this.topic = topic;
        this.jobName = jobName;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter dl, KafkaSinkContext context, Long timestamp) {
        if (dl.job == null) {
            dl.job = jobName;
        }
        try {
            byte[] key = dl.source == null ? null : dl.source.getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, null, dl.timeMs > 0 ? dl.timeMs : null, key, JSON.writeValueAsBytes(dl));
        } catch (JsonProcessingException e) {
            // A DeadLetter is four strings and a long: this cannot fail short of a bug.
            throw new IllegalStateException("cannot render dead letter " + dl, e);
        }
    }
}
