package io.paystream.jobs.runtime;

import io.paystream.jobs.cdc.ShopCdcSource;
import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.jobs.config.Settings;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What a job reads, swappable: by default the shop's tables through the CDC source (and, in a
 * job's subclass, its Kafka topics). A test or benchmark swaps a source by overriding its method
 * (e.g. {@link #shopChanges} with {@code ShopChangeStreams.split(a bounded list)}), or wraps a
 * table's rows on their way in with a tap (e.g. to inject a failure), and runs the job's own wiring.
 */
public class JobInputs {
    protected final Settings settings;
    private final String jobName;
    private final String defaultServerIds;
    private final List<ShopTable> tables;
    private final Map<ShopTable, UnaryOperator<DataStream<?>>> taps = new EnumMap<>(ShopTable.class);

    /**
     * @param jobName the job's stable name (in the CDC source's dead letters)
     * @param defaultServerIds the job's own MySQL server-id range, unless {@code mysql.server-id} says otherwise
     * @param tables the shop tables the job reads
     */
    protected JobInputs(Settings settings, String jobName, String defaultServerIds, ShopTable... tables) {
        this.settings = settings;
        this.jobName = jobName;
        this.defaultServerIds = defaultServerIds;
        this.tables = List.of(tables);
    }

    /** The tables this job reads. */
    public final List<ShopTable> tables() {
        return tables;
    }

    /**
     * The shop's changes of this job's tables: the one place every job reads the shop's database
     * (uids {@code shop-cdc-source}, {@code shop-cdc-split}).
     */
    public ShopChangeStreams shopChanges(StreamExecutionEnvironment env) {
        return ShopChangeStreams.read(
                env,
                ShopCdcSource.fromSettings(settings, jobName, defaultServerIds)
                        .tables(tables.toArray(new ShopTable[0]))
                        .build());
    }

    /** The shop's rows by table, as the wiring reads them: {@link #shopChanges}, then the taps. */
    public final ShopRows shop(StreamExecutionEnvironment env) {
        return new ShopRows(shopChanges(env), this);
    }

    /** Wraps the orders on their way into the job (a test's hook; give what it adds a uid). */
    public JobInputs tapOrders(UnaryOperator<DataStream<RowChange<OrderRow>>> tap) {
        return tap(ShopTable.ORDERS, tap);
    }

    /** Wraps the order items on their way into the job (a test's hook; give what it adds a uid). */
    public JobInputs tapOrderItems(UnaryOperator<DataStream<RowChange<OrderItemRow>>> tap) {
        return tap(ShopTable.ORDER_ITEMS, tap);
    }

    /** Wraps the payments on their way into the job (a test's hook; give what it adds a uid). */
    public JobInputs tapPayments(UnaryOperator<DataStream<RowChange<PaymentRow>>> tap) {
        return tap(ShopTable.PAYMENTS, tap);
    }

    /** Wraps the inventory rows on their way into the job (a test's hook; give what it adds a uid). */
    public JobInputs tapInventory(UnaryOperator<DataStream<RowChange<InventoryRow>>> tap) {
        return tap(ShopTable.INVENTORY, tap);
    }

    @SuppressWarnings("unchecked")
    private <T> JobInputs tap(ShopTable table, UnaryOperator<DataStream<RowChange<T>>> tap) {
        if (!tables.contains(table)) {
            throw new IllegalArgumentException(jobName + " does not read " + table + "; it reads " + tables);
        }
        UnaryOperator<DataStream<?>> before = taps.getOrDefault(table, UnaryOperator.identity());
        taps.put(table, s -> tap.apply((DataStream<RowChange<T>>) before.apply(s)));
        return this;
    }

    @SuppressWarnings("unchecked")
    <T> DataStream<RowChange<T>> tapped(ShopTable table, DataStream<RowChange<T>> rows) {
        UnaryOperator<DataStream<?>> tap = taps.get(table);
        return tap == null ? rows : (DataStream<RowChange<T>>) tap.apply(rows);
    }
}
