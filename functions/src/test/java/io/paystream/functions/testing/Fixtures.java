package io.paystream.functions.testing;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;

/**
 * Named fixtures for harness tests, e.g. {@code payment("P1").ofOrder(7).paying().at(T0).version(10)}
 * or {@code item(70).ofOrder(7).sku(1).quantity(2).version(2)}: every number says what it is.
 */
public final class Fixtures {
    private Fixtures() {}

    /** A {@code payments} row: ALIPAY, 35.50, CREATED until told otherwise. */
    public static PaymentFixture payment(String paymentId) {
        return new PaymentFixture(paymentId);
    }

    /** An {@code orders} row: user 9, CREATED until told otherwise. */
    public static OrderFixture order(long orderId) {
        return new OrderFixture(orderId);
    }

    /** An {@code order_items} row: one unit at 10.00 until told otherwise. */
    public static ItemFixture item(long itemId) {
        return new ItemFixture(itemId);
    }

    /** An {@code inventory} row: deducts on order, no purchase limit, until told otherwise. */
    public static SkuFixture sku(long skuId) {
        return new SkuFixture(skuId);
    }

    /** An order's holding of a SKU, as the order stage tells the ledger: one OPEN unit until told otherwise. */
    public static HoldingFixture holding(long orderId) {
        return new HoldingFixture(orderId);
    }

    /** A verified notification of the payment: an ALIPAY callback until told otherwise. */
    public static NotificationFixture notification(String paymentId) {
        return new NotificationFixture(paymentId);
    }

    /** A change of any shop table in the envelope the order-keyed functions read. */
    @SuppressWarnings("unchecked")
    public static ShopChange shopChange(RowChange<?> c) {
        Object row = c.row();
        if (row instanceof OrderRow) {
            return ShopChange.ofOrder((RowChange<OrderRow>) c);
        }
        if (row instanceof OrderItemRow) {
            return ShopChange.ofItem((RowChange<OrderItemRow>) c);
        }
        return ShopChange.ofPayment((RowChange<io.paystream.state.shop.PaymentRow>) c);
    }
}
