package io.paystream.state.kafka;

/**
 * A record read from one of paystream's input topics, before it is parsed: its coordinates and the
 * raw value bytes. Keeping the bytes lets a record that fails to parse go to the dead-letter topic
 * exactly as it arrived.
 */
public class KafkaRecord {
    public String topic;
    public int partition;
    public long offset;
    public long timestampMs;
    public String key;
    public byte[] value;

    public KafkaRecord() {}

    public KafkaRecord(String topic, int partition, long offset, long timestampMs, String key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestampMs = timestampMs;
        this.key = key;
        this.value = value;
    }

    /** Where this record came from, as a dead letter names it: {@code kafka:payment.callbacks/0@42}. */
    public String coordinates() {
        return "kafka:" + topic + "/" + partition + "@" + offset;
    }

    @Override
    public String toString() {
        return "KafkaRecord{" + coordinates() + ", key=" + key + ", bytes=" + (value == null ? 0 : value.length) + '}';
    }
}
