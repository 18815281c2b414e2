package io.paystream.jobs.kafka;

import io.paystream.state.ShopTypes;
import io.paystream.state.kafka.KafkaRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Keeps an input record's coordinates and raw bytes; parsing is the business functions' job. */
final class KafkaRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        out.collect(new KafkaRecord(
                record.topic(), record.partition(), record.offset(), record.timestamp(), key, record.value()));
    }

    @Override
    public TypeInformation<KafkaRecord> getProducedType() {
        return ShopTypes.KAFKA_RECORD;
    }
}
