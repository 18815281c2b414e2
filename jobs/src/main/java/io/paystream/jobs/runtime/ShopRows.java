package io.paystream.jobs.runtime;

import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The shop's rows by table as one job reads them: its {@link ShopChangeStreams} with the inputs'
 * taps applied, each table's stream made once (a job that reads a table twice reads one stream).
 */
public final class ShopRows {
    private final ShopChangeStreams changes;
    private final JobInputs inputs;
    private final Map<ShopTable, DataStream<?>> made = new EnumMap<>(ShopTable.class);

    ShopRows(ShopChangeStreams changes, JobInputs inputs) {
        this.changes = changes;
        this.inputs = inputs;
    }

    public DataStream<RowChange<OrderRow>> orders() {
        return table(ShopTable.ORDERS, changes::orders);
    }

    public DataStream<RowChange<OrderItemRow>> orderItems() {
        return table(ShopTable.ORDER_ITEMS, changes::orderItems);
    }

    public DataStream<RowChange<PaymentRow>> payments() {
        return table(ShopTable.PAYMENTS, changes::payments);
    }

    public DataStream<RowChange<InventoryRow>> inventory() {
        return table(ShopTable.INVENTORY, changes::inventory);
    }

    /** The payment center's refunds; empty when the mapping has no refunds table. */
    public DataStream<RowChange<RefundRow>> refunds() {
        return table(ShopTable.REFUNDS, changes::refunds);
    }

    /** The servers whose snapshot ended (see {@link ShopChangeStreams#snapshotEnded()}). */
    public DataStream<String> snapshotEnded() {
        return changes.snapshotEnded();
    }

    /** The servers that announce the end of their snapshot; empty for a test's bounded source. */
    public java.util.List<String> snapshotServers() {
        return changes.snapshotServers();
    }

    /** Rows the source could not convert: part of the job's dead letters. */
    public DataStream<DeadLetter> deadLetters() {
        return changes.deadLetters();
    }

    @SuppressWarnings("unchecked")
    private <T> DataStream<RowChange<T>> table(ShopTable table, Supplier<DataStream<RowChange<T>>> raw) {
        return (DataStream<RowChange<T>>) made.computeIfAbsent(table, t -> inputs.tapped(t, raw.get()));
    }
}
