package io.paystream.jobs.cdc;

import io.paystream.functions.cdc.OrderReferences;
import io.paystream.functions.cdc.ShopChangeSplitter;
import io.paystream.jobs.mapping.ServerMapping;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The shop's change streams of one job, one typed stream per table plus the dead letters. Built
 * from any source of {@link ShopChange}s: the CDC source in production, a bounded list in tests.
 */
public final class ShopChangeStreams {
    private final SingleOutputStreamOperator<DeadLetter> split;
    /** Items and payments resolved from order numbers to order ids; null when no table needs it. */
    private final SingleOutputStreamOperator<DeadLetter> byNumber;

    private final boolean itemsByNumber;
    private final boolean paymentsByNumber;
    /** The MySQL servers read, each announcing the end of its snapshot; empty for a test's source. */
    private final List<String> servers;

    private ShopChangeStreams(SingleOutputStreamOperator<DeadLetter> split, List<String> servers) {
        this(split, null, false, false, servers);
    }

    private ShopChangeStreams(
            SingleOutputStreamOperator<DeadLetter> split,
            SingleOutputStreamOperator<DeadLetter> byNumber,
            boolean itemsByNumber,
            boolean paymentsByNumber,
            List<String> servers) {
        this.split = split;
        this.byNumber = byNumber;
        this.itemsByNumber = itemsByNumber;
        this.paymentsByNumber = paymentsByNumber;
        this.servers = List.copyOf(servers);
    }

    /**
     * Reads the shop's change data: one source per MySQL server (uid {@code shop-cdc-source} for
     * the default server {@code shop}, {@code shop-cdc-source-<server>} for another; a server's name
     * is therefore fixed for the job's lifetime), unioned and split by table (uid {@code shop-cdc-split}).
     */
    public static ShopChangeStreams read(StreamExecutionEnvironment env, ShopCdcSource cdc) {
        DataStream<ShopChange> changes = changes(env, cdc);
        List<String> servers = cdc.sources().keySet().stream().map(s -> s.name).toList();
        ShopChangeStreams split = split(changes, servers);
        boolean items = cdc.mapping().byOrderNumber(ShopTable.ORDER_ITEMS);
        boolean payments = cdc.mapping().byOrderNumber(ShopTable.PAYMENTS);
        if (!items && !payments) {
            return split;
        }
        // Items or payments name their order by number: OrderReferences gives them the order's id
        // (uid order-references), keyed by the number, from the order rows that carry both.
        DataStream<ShopChange> naming = changes.filter(c -> OrderReferences.numberOf(c) != null)
                .setParallelism(changes.getParallelism())
                .uid("rows-naming-order-numbers")
                .name("Items and payments naming their order by number");
        SingleOutputStreamOperator<DeadLetter> resolved = split.orders()
                .filter(c -> c.row().orderNo != null)
                .setParallelism(changes.getParallelism())
                .uid("orders-with-numbers")
                .name("Orders with a number")
                .keyBy(c -> c.row().orderNo, Types.STRING)
                .connect(naming.keyBy(OrderReferences::numberOf, Types.STRING))
                .process(
                        new OrderReferences(
                                cdc.orderNumbers().waitForOrder(),
                                cdc.orderNumbers().retention(),
                                cdc.jobName()),
                        ShopTypes.DEAD_LETTER)
                .uid("order-references")
                .name("Order numbers to order ids (items, payments)");
        return new ShopChangeStreams(split.split, resolved, items, payments, servers);
    }

    /** The change data of every server of {@code cdc}, in one stream, before the split by table. */
    public static DataStream<ShopChange> changes(StreamExecutionEnvironment env, ShopCdcSource cdc) {
        DataStream<ShopChange> changes = null;
        for (Map.Entry<ServerMapping, MySqlSource<ShopChange>> e : cdc.sources().entrySet()) {
            String server = e.getKey().name;
            DataStream<ShopChange> one = env.fromSource(
                            e.getValue(), WatermarkStrategy.noWatermarks(), "Shop CDC " + server, ShopTypes.SHOP_CHANGE)
                    .uid(sourceUid(server))
                    .name(
                            server.equals(ShopMapping.DEFAULT_SERVER)
                                    ? "Shop CDC (orders, items, payments, inventory)"
                                    : "Shop CDC (server " + server + ")")
                    .setParallelism(1);
            changes = changes == null ? one : changes.union(one);
        }
        return changes;
    }

    /** The uid of a server's CDC source: its binlog position is restored by it. */
    static String sourceUid(String server) {
        return server.equals(ShopMapping.DEFAULT_SERVER) ? "shop-cdc-source" : "shop-cdc-source-" + server;
    }

    /** Reads {@code source} (uid {@code shop-cdc-source}) and splits it by table (uid {@code shop-cdc-split}). */
    public static ShopChangeStreams read(StreamExecutionEnvironment env, Source<ShopChange, ?, ?> source) {
        // No watermarks: paystream's deadlines are processing-time timers computed from row
        // timestamps, so an idle binlog can never stall them.
        DataStream<ShopChange> changes = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "Shop CDC", ShopTypes.SHOP_CHANGE)
                .uid("shop-cdc-source")
                .name("Shop CDC (orders, items, payments, inventory)")
                .setParallelism(1);
        return split(changes);
    }

    /** Splits a stream of changes by table; it announces no snapshot's end (a test's bounded input). */
    public static ShopChangeStreams split(DataStream<ShopChange> changes) {
        return split(changes, List.of());
    }

    private static ShopChangeStreams split(DataStream<ShopChange> changes, List<String> servers) {
        SingleOutputStreamOperator<DeadLetter> split = changes.process(new ShopChangeSplitter(), ShopTypes.DEAD_LETTER)
                .uid("shop-cdc-split")
                .name("Split shop changes by table")
                .setParallelism(changes.getParallelism());
        return new ShopChangeStreams(split, servers);
    }

    /** The names of the servers whose initial snapshot ended, each once per start of its binlog reading. */
    public DataStream<String> snapshotEnded() {
        return split.getSideOutput(ShopChangeSplitter.SNAPSHOT_ENDED);
    }

    /** The servers that announce the end of their snapshot on {@link #snapshotEnded()}; empty for a test's source. */
    public List<String> snapshotServers() {
        return servers;
    }

    public DataStream<RowChange<OrderRow>> orders() {
        return split.getSideOutput(ShopChangeSplitter.ORDERS);
    }

    public DataStream<RowChange<OrderItemRow>> orderItems() {
        return (itemsByNumber ? byNumber : split).getSideOutput(ShopChangeSplitter.ORDER_ITEMS);
    }

    public DataStream<RowChange<PaymentRow>> payments() {
        return (paymentsByNumber ? byNumber : split).getSideOutput(ShopChangeSplitter.PAYMENTS);
    }

    public DataStream<RowChange<InventoryRow>> inventory() {
        return split.getSideOutput(ShopChangeSplitter.INVENTORY);
    }

    /** The payment center's refunds; empty when the mapping has no refunds table. */
    public DataStream<RowChange<RefundRow>> refunds() {
        return split.getSideOutput(ShopChangeSplitter.REFUNDS);
    }

    /** Rows the source could not convert, for the dead-letter sink. */
    public DataStream<DeadLetter> deadLetters() {
        return byNumber == null ? split : split.union(byNumber);
    }
}
