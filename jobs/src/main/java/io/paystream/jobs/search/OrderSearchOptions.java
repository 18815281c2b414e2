package io.paystream.jobs.search;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

/** Settings of the order-search job (Elasticsearch endpoints are the shared {@code elasticsearch.hosts}). */
public final class OrderSearchOptions {
    public static final ConfigOption<String> INDEX = key("search.index")
            .stringType()
            .defaultValue("orders")
            .withDescription("Elasticsearch index of the order documents; created with the "
                    + "mapping of deploy/elasticsearch/orders-template.json when missing.");
    public static final ConfigOption<Integer> BULK_MAX_ACTIONS = key("search.bulk.max-actions")
            .intType()
            .defaultValue(1000)
            .withDescription("Most documents in one bulk request; a full bulk is sent at once.");
    public static final ConfigOption<MemorySize> BULK_MAX_SIZE = key("search.bulk.max-size")
            .memoryType()
            .defaultValue(MemorySize.parse("5 mb"))
            .withDescription("Largest bulk request body.");
    public static final ConfigOption<Duration> BULK_FLUSH_INTERVAL = key("search.bulk.flush-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("Longest a document waits for companions before "
                    + "its bulk is sent (bounds freshness when traffic is light).");
    public static final ConfigOption<Integer> BULK_MAX_IN_FLIGHT = key("search.bulk.max-in-flight")
            .intType()
            .defaultValue(4)
            .withDescription("Bulks sent and not yet acknowledged, per writer; no order is in two of "
                    + "them at once, so each order's writes still reach Elasticsearch in order.");
    public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF = key("search.retry.initial-backoff")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("First wait before retrying a bulk Elasticsearch "
                    + "could not take (down, overloaded); doubled on each further failure.");
    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF = key("search.retry.max-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Longest wait between retries. Retries never give up: "
                    + "the job back-pressures until Elasticsearch is back.");
    public static final ConfigOption<Duration> DELETED_RETENTION = key("search.deleted-retention")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("How long a deleted order is remembered (tombstone) "
                    + "so late or replayed rows cannot bring its document back; then its state is dropped.");
    public static final ConfigOption<Duration> ORPHAN_RETENTION = key("search.orphan-retention")
            .durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("How long items and payments wait for an order row that "
                    + "has not arrived; must exceed the initial snapshot's duration.");

    private OrderSearchOptions() {}
}
