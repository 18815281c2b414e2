package io.paystream.state.cdc;

import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;

/**
 * What the shop CDC source emits: exactly one of a typed change of one table, or a dead letter for a
 * row that could not be converted. One flat POJO rather than a class hierarchy keeps Flink's POJO
 * serializer (evolvable, no Kryo) and costs one null flag per empty field on the wire.
 */
public class ShopChange {
    public ShopTable table;
    public RowChange<OrderRow> order;
    public RowChange<OrderItemRow> item;
    public RowChange<PaymentRow> payment;
    public RowChange<InventoryRow> inventory;
    public RowChange<RefundRow> refund;
    public DeadLetter deadLetter;
    /**
     * The initial snapshot of this MySQL server (its name in the mapping) has ended: every row it
     * read was emitted before this, and what follows comes from its binlog. Emitted by the source's
     * reader once per start of its binlog reading (so again after a restore: the receiver is
     * idempotent); no table, no row.
     */
    public String snapshotEndedOn;

    public ShopChange() {}

    public static ShopChange ofSnapshotEnded(String server) {
        ShopChange c = new ShopChange();
        c.snapshotEndedOn = server;
        return c;
    }

    public static ShopChange ofOrder(RowChange<OrderRow> change) {
        ShopChange c = new ShopChange();
        c.table = ShopTable.ORDERS;
        c.order = change;
        return c;
    }

    public static ShopChange ofItem(RowChange<OrderItemRow> change) {
        ShopChange c = new ShopChange();
        c.table = ShopTable.ORDER_ITEMS;
        c.item = change;
        return c;
    }

    public static ShopChange ofPayment(RowChange<PaymentRow> change) {
        ShopChange c = new ShopChange();
        c.table = ShopTable.PAYMENTS;
        c.payment = change;
        return c;
    }

    public static ShopChange ofInventory(RowChange<InventoryRow> change) {
        ShopChange c = new ShopChange();
        c.table = ShopTable.INVENTORY;
        c.inventory = change;
        return c;
    }

    public static ShopChange ofRefund(RowChange<RefundRow> change) {
        ShopChange c = new ShopChange();
        c.table = ShopTable.REFUNDS;
        c.refund = change;
        return c;
    }

    public static ShopChange ofDeadLetter(ShopTable table, DeadLetter deadLetter) {
        ShopChange c = new ShopChange();
        c.table = table;
        c.deadLetter = deadLetter;
        return c;
    }

    public boolean isDeadLetter() {
        return deadLetter != null;
    }

    @Override
    public String toString() {
        if (snapshotEndedOn != null) {
            return "ShopChange{snapshot ended on " + snapshotEndedOn + '}';
        }
        Object body = deadLetter != null
                ? deadLetter
                : order != null
                        ? order
                        : item != null ? item : payment != null ? payment : inventory != null ? inventory : refund;
        return "ShopChange{" + table + ": " + body + '}';
    }
}
