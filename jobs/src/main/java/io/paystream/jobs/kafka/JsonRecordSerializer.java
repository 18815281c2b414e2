package io.paystream.jobs.kafka;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a message POJO as the JSON of docs/contract.md (absent fields omitted), keyed as the
 * contract says. One write per record, straight to bytes; no intermediate strings or trees.
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> key;
    private transient ObjectMapper json;

    public JsonRecordSerializer(String topic, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    /** The topic it writes to. */
    public String topic() {
        return topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = mapper();
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (json == null) {
            json = mapper();
        }
        try {
            String k = key.apply(element);
            return new ProducerRecord<>(
                    topic, k == null ? null : k.getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(element));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + element + " as JSON", e);
        }
    }
}
