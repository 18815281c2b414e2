package io.paystream.jobs.search;

import io.paystream.functions.search.ByOrder;
import io.paystream.functions.search.OrderDocuments;
import io.paystream.jobs.PaystreamJob;
import io.paystream.jobs.cdc.ShopCdcSource;
import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.PaystreamKafka;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.search.OrderDocumentWrite;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Order search, a Canal replacement: CDC of {@code orders}, {@code order_items} and
 * {@code payments} becomes one versioned document per order in the Elasticsearch index
 * {@code orders}, joined in Flink state keyed by order id (no read-back queries to MySQL).
 * Documents Elasticsearch refuses go to {@code paystream.dlq}; the job goes on.
 */
public final class OrderSearchJob implements PaystreamJob {
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String ORDER_DOCUMENTS_UID = "order-documents";

    public static final String NAME = "order-search";
    public static final String SERVER_IDS = "5420-5429";

    public static void main(String[] args) throws Exception {
        JobRunner.run(new OrderSearchJob(), args);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "denormalized order documents (items, payments, payment state) in Elasticsearch, from the binlog";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return PaystreamOptions.declaredIn(OrderSearchOptions.class);
    }

    @Override
    public List<String> statusMetrics() {
        return List.of("documentsWritten", "freshnessLagMs", "staleWritesIgnored", "documentsRejected", "bulkRetries");
    }

    @Override
    public void define(StreamExecutionEnvironment env, Settings settings) {
        OrderIndexWriter writer = writer(settings); // checks the settings before anything is wired
        ShopChangeStreams shop = ShopChangeStreams.read(
                env,
                ShopCdcSource.fromSettings(settings, NAME, SERVER_IDS)
                        .tables(ShopTable.ORDERS, ShopTable.ORDER_ITEMS, ShopTable.PAYMENTS)
                        .build());
        DataStream<DeadLetter> rejected =
                writeTo(writer, build(shop.orders(), shop.orderItems(), shop.payments(), settings));
        shop.deadLetters()
                .union(rejected)
                .sinkTo(PaystreamKafka.deadLetterSink(settings, NAME))
                .uid("dlq-sink")
                .name("Dead letters to Kafka");
    }

    /** The join, from typed change streams: tests feed it their own streams. */
    public static DataStream<OrderDocumentWrite> build(
            DataStream<RowChange<OrderRow>> orders,
            DataStream<RowChange<OrderItemRow>> items,
            DataStream<RowChange<PaymentRow>> payments,
            Settings settings) {
        Duration deletedRetention = settings.get(OrderSearchOptions.DELETED_RETENTION);
        Duration orphanRetention = settings.get(OrderSearchOptions.ORPHAN_RETENTION);
        requirePositive(List.of(OrderSearchOptions.DELETED_RETENTION, OrderSearchOptions.ORPHAN_RETENTION), settings);
        // Same parallelism as the split: a rebalance here would reorder the changes of one row.
        DataStream<ShopChange> byOrder = orders.flatMap(ByOrder.orders(), ShopTypes.SHOP_CHANGE)
                .setParallelism(orders.getParallelism())
                .uid("orders-by-order")
                .name("Orders by order")
                .union(
                        items.flatMap(ByOrder.items(), ShopTypes.SHOP_CHANGE)
                                .setParallelism(items.getParallelism())
                                .uid("items-by-order")
                                .name("Items by order"),
                        payments.flatMap(ByOrder.payments(), ShopTypes.SHOP_CHANGE)
                                .setParallelism(payments.getParallelism())
                                .uid("payments-by-order")
                                .name("Payments by order"));
        return byOrder.keyBy(ByOrder.KEY, Types.LONG)
                .process(
                        new OrderDocuments(deletedRetention, orphanRetention),
                        TypeInformation.of(OrderDocumentWrite.class))
                .uid(ORDER_DOCUMENTS_UID)
                .name("Order documents (join by order id)");
    }

    /** Writes the documents to Elasticsearch; returns the refused ones as dead letters. */
    public static DataStream<DeadLetter> writeTo(OrderIndexWriter writer, DataStream<OrderDocumentWrite> writes) {
        return writes.transform("Order documents to Elasticsearch", ShopTypes.DEAD_LETTER, writer)
                .uid("order-index-writer");
    }

    /** The index writer configured from settings; throws {@link InvalidSettingsException} naming a bad one. */
    public static OrderIndexWriter writer(Settings settings) {
        List<String> problems = new ArrayList<>();
        String hosts = settings.get(PaystreamOptions.ELASTICSEARCH_HOSTS);
        try {
            OrderIndex.hosts(hosts);
        } catch (IllegalArgumentException e) {
            problems.add("setting '" + PaystreamOptions.ELASTICSEARCH_HOSTS.key() + "' = '" + hosts + "': "
                    + e.getMessage());
        }
        String index = settings.get(OrderSearchOptions.INDEX);
        if (index.isBlank()
                || !index.equals(index.toLowerCase())
                || index.startsWith("_")
                || index.contains(",")
                || index.contains(" ")) {
            problems.add("setting '" + OrderSearchOptions.INDEX.key() + "' = '" + index
                    + "' is not a valid Elasticsearch index name");
        }
        if (settings.get(OrderSearchOptions.BULK_MAX_ACTIONS) < 1) {
            problems.add("setting '" + OrderSearchOptions.BULK_MAX_ACTIONS.key() + "' must be at least 1");
        }
        if (settings.get(OrderSearchOptions.BULK_MAX_SIZE).getBytes() < 1024) {
            problems.add("setting '" + OrderSearchOptions.BULK_MAX_SIZE.key() + "' must be at least 1 kb");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        requirePositive(
                List.of(
                        OrderSearchOptions.BULK_FLUSH_INTERVAL,
                        OrderSearchOptions.RETRY_INITIAL_BACKOFF,
                        OrderSearchOptions.RETRY_MAX_BACKOFF),
                settings);
        return new OrderIndexWriter(
                hosts,
                index,
                settings.get(OrderSearchOptions.BULK_MAX_ACTIONS),
                settings.get(OrderSearchOptions.BULK_MAX_SIZE).getBytes(),
                settings.get(OrderSearchOptions.BULK_FLUSH_INTERVAL).toMillis(),
                settings.get(OrderSearchOptions.RETRY_INITIAL_BACKOFF).toMillis(),
                settings.get(OrderSearchOptions.RETRY_MAX_BACKOFF).toMillis(),
                NAME);
    }

    private static void requirePositive(List<ConfigOption<Duration>> options, Settings settings) {
        List<String> problems = new ArrayList<>();
        for (ConfigOption<Duration> o : options) {
            Duration d = settings.get(o);
            if (d.isNegative() || d.isZero()) {
                problems.add("setting '" + o.key() + "' must be positive, got " + d);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }
}
