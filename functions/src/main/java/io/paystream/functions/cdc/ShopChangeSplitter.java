package io.paystream.functions.cdc;

import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits the shop CDC stream by table into typed streams (side outputs), so each job's functions
 * see {@code RowChange<PaymentRow>} and never an envelope. The main output carries the dead letters
 * of rows the source could not convert; they are counted in the {@code deadLetters} metric.
 */
public class ShopChangeSplitter extends ProcessFunction<ShopChange, DeadLetter> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RowChange<OrderRow>> ORDERS = new OutputTag<>("orders", ShopTypes.ORDER_CHANGE);
    public static final OutputTag<RowChange<OrderItemRow>> ORDER_ITEMS =
            new OutputTag<>("order-items", ShopTypes.ITEM_CHANGE);
    public static final OutputTag<RowChange<PaymentRow>> PAYMENTS =
            new OutputTag<>("payments", ShopTypes.PAYMENT_CHANGE);
    public static final OutputTag<RowChange<InventoryRow>> INVENTORY =
            new OutputTag<>("inventory", ShopTypes.INVENTORY_CHANGE);
    public static final OutputTag<RowChange<RefundRow>> REFUNDS = new OutputTag<>("refunds", ShopTypes.REFUND_CHANGE);
    /** The names of the servers whose initial snapshot ended (see {@link ShopChange#snapshotEndedOn}). */
    public static final OutputTag<String> SNAPSHOT_ENDED =
            new OutputTag<>("snapshot-ended", org.apache.flink.api.common.typeinfo.Types.STRING);

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(ShopChange change, Context ctx, Collector<DeadLetter> out) {
        if (change.deadLetter != null) {
            deadLetters.inc();
            out.collect(change.deadLetter);
        } else if (change.order != null) {
            ctx.output(ORDERS, change.order);
        } else if (change.item != null) {
            ctx.output(ORDER_ITEMS, change.item);
        } else if (change.payment != null) {
            ctx.output(PAYMENTS, change.payment);
        } else if (change.inventory != null) {
            ctx.output(INVENTORY, change.inventory);
        } else if (change.refund != null) {
            ctx.output(REFUNDS, change.refund);
        } else if (change.snapshotEndedOn != null) {
            ctx.output(SNAPSHOT_ENDED, change.snapshotEndedOn);
        }
        // An envelope with nothing in it cannot be produced by the deserializer; there is nothing to route.
    }
}
