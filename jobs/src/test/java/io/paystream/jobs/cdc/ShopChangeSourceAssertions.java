package io.paystream.jobs.cdc;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;

/** Reads the one change inside a {@link ShopChange}, whatever its table. */
final class ShopChangeSourceAssertions {
    private ShopChangeSourceAssertions() {}

    static RowChange<?> change(ShopChange c) {
        if (c.order != null) return c.order;
        if (c.item != null) return c.item;
        if (c.payment != null) return c.payment;
        if (c.inventory != null) return c.inventory;
        return null;
    }

    static ChangeOp op(ShopChange c) {
        RowChange<?> ch = change(c);
        return ch == null ? null : ch.op;
    }

    static long version(ShopChange c) {
        RowChange<?> ch = change(c);
        return ch == null ? -1 : ch.version;
    }

    static String describe(ShopChange c) {
        RowChange<?> ch = change(c);
        Object key;
        if (c.order != null) key = c.order.row().orderId;
        else if (c.item != null) key = c.item.row().itemId;
        else if (c.payment != null) key = c.payment.row().paymentId;
        else key = c.inventory.row().skuId;
        return c.table + " " + ch.op + " " + key;
    }
}
