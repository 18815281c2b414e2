package io.paystream.jobs.search;

import io.paystream.functions.search.ByOrder;
import io.paystream.functions.search.OrderDocuments;
import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.PaystreamKafka;
import io.paystream.jobs.runtime.JobInputs;
import io.paystream.jobs.runtime.JobOutputs;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.ShopRows;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.search.OrderDocumentWrite;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
public final class OrderSearchJob implements PaystreamJob<OrderSearchJob.Inputs, OrderSearchJob.Outputs> {
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String ORDER_DOCUMENTS_UID = "order-documents";

    public static final String NAME = "order-search";
    public static final String SERVER_IDS = "5420-5429";

    /** What the job reads: {@code orders}, {@code order_items}, {@code payments} and {@code refunds} (when mapped) by CDC. */
    public static class Inputs extends JobInputs {
        public Inputs(Settings settings) {
            super(
                    settings,
                    NAME,
                    SERVER_IDS,
                    ShopTable.ORDERS,
                    ShopTable.ORDER_ITEMS,
                    ShopTable.PAYMENTS,
                    ShopTable.REFUNDS);
        }
    }

    /** What the job emits, before the sinks: document writes, and the rows it could not read. */
    public static final class Outputs extends JobOutputs {
        public final DataStream<OrderDocumentWrite> documents;

        Outputs(DataStream<OrderDocumentWrite> documents, DataStream<DeadLetter> deadLetters) {
            super(deadLetters);
            this.documents = documents;
        }

        @Override
        protected Map<String, DataStream<?>> named() {
            return Map.of("documents", documents);
        }
    }

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
    public Inputs inputs(Settings settings) {
        return new Inputs(settings);
    }

    /** The join by order id, from the shop's change streams. */
    @Override
    public Outputs wire(StreamExecutionEnvironment env, Inputs inputs, Settings settings) {
        ShopRows shop = inputs.shop(env);
        DataStream<RowChange<OrderRow>> orders = shop.orders();
        DataStream<RowChange<OrderItemRow>> items = shop.orderItems();
        DataStream<RowChange<PaymentRow>> payments = shop.payments();
        DataStream<RowChange<RefundRow>> refunds = shop.refunds();
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
                                .name("Payments by order"),
                        refunds.flatMap(ByOrder.refunds(), ShopTypes.SHOP_CHANGE)
                                .setParallelism(refunds.getParallelism())
                                .uid("refunds-by-order")
                                .name("Refunds by order"));
        // Each server's end of snapshot reaches every instance of the join: held documents go then.
        DataStream<OrderDocumentWrite> documents = byOrder.keyBy(ByOrder.KEY, Types.LONG)
                .connect(shop.snapshotEnded().broadcast(OrderDocuments.SNAPSHOT_ENDED))
                .process(
                        new OrderDocuments(deletedRetention, orphanRetention, shop.snapshotServers()),
                        TypeInformation.of(OrderDocumentWrite.class))
                .uid(ORDER_DOCUMENTS_UID)
                .name("Order documents (join by order id)");
        return new Outputs(documents, shop.deadLetters());
    }

    /**
     * The documents to Elasticsearch through the index writer, whose refusals join the dead
     * letters on {@code paystream.dlq}.
     */
    @Override
    public void sinkTo(Outputs out, Settings settings) {
        DataStream<DeadLetter> rejected = writeTo(OrderIndexWriter.fromSettings(settings, NAME), out.documents);
        PaystreamKafka.sinkDeadLetters(out.deadLetters.union(rejected), settings, NAME);
    }

    /** Writes the documents to Elasticsearch; returns the refused ones as dead letters. */
    public static DataStream<DeadLetter> writeTo(OrderIndexWriter writer, DataStream<OrderDocumentWrite> writes) {
        return writes.transform("Order documents to Elasticsearch", ShopTypes.DEAD_LETTER, writer)
                .uid("order-index-writer");
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
