package io.paystream.jobs.mapping;

import io.paystream.state.cdc.ShopTable;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.shop.RefundRowStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Every field paystream reads from the shop's tables, by logical table: its name in a mapping file,
 * the kind of value it carries and whether a job can do without it. docs/mapping.md lists them.
 */
public enum ShopField {
    ORDER_ID(ShopTable.ORDERS, "order-id", Kind.KEY, Need.REQUIRED, null),
    /** The order number (text), when items or payments reference the order by it rather than by its id. */
    ORDER_NO(ShopTable.ORDERS, "order-no", Kind.TEXT, Need.OPTIONAL, null),
    ORDER_USER_ID(ShopTable.ORDERS, "user-id", Kind.KEY, Need.REQUIRED, null),
    ORDER_STATUS(ShopTable.ORDERS, "status", Kind.ENUM, Need.REQUIRED, OrderStatus.class),
    ORDER_TOTAL_AMOUNT(ShopTable.ORDERS, "total-amount", Kind.MONEY, Need.REQUIRED, null),
    ORDER_SUBMIT_HASH(ShopTable.ORDERS, "submit-hash", Kind.TEXT, Need.OPTIONAL, null),
    ORDER_CLIENT_IP(ShopTable.ORDERS, "client-ip", Kind.TEXT, Need.OPTIONAL, null),
    ORDER_CREATED_AT(ShopTable.ORDERS, "created-at", Kind.TIME, Need.REQUIRED, null),
    ORDER_UPDATED_AT(ShopTable.ORDERS, "updated-at", Kind.TIME, Need.OPTIONAL, null),

    ITEM_ID(ShopTable.ORDER_ITEMS, "item-id", Kind.KEY, Need.REQUIRED, null),
    /** The order the item belongs to, by its id; or by its number ({@link #ITEM_ORDER_NO}). */
    ITEM_ORDER_ID(ShopTable.ORDER_ITEMS, "order-id", Kind.KEY, Need.OPTIONAL, null),
    ITEM_ORDER_NO(ShopTable.ORDER_ITEMS, "order-no", Kind.TEXT, Need.OPTIONAL, null),
    ITEM_SKU_ID(ShopTable.ORDER_ITEMS, "sku-id", Kind.KEY, Need.REQUIRED, null),
    ITEM_QUANTITY(ShopTable.ORDER_ITEMS, "quantity", Kind.INTEGER, Need.REQUIRED, null),
    ITEM_UNIT_PRICE(ShopTable.ORDER_ITEMS, "unit-price", Kind.MONEY, Need.REQUIRED, null),

    PAYMENT_ID(ShopTable.PAYMENTS, "payment-id", Kind.TEXT, Need.REQUIRED, null),
    /** The order the payment is for, by its id; or by its number ({@link #PAYMENT_ORDER_NO}). */
    PAYMENT_ORDER_ID(ShopTable.PAYMENTS, "order-id", Kind.KEY, Need.OPTIONAL, null),
    PAYMENT_ORDER_NO(ShopTable.PAYMENTS, "order-no", Kind.TEXT, Need.OPTIONAL, null),
    PAYMENT_CHANNEL(ShopTable.PAYMENTS, "channel", Kind.ENUM, Need.REQUIRED, PaymentChannel.class),
    PAYMENT_AMOUNT(ShopTable.PAYMENTS, "amount", Kind.MONEY, Need.REQUIRED, null),
    PAYMENT_STATUS(ShopTable.PAYMENTS, "status", Kind.ENUM, Need.REQUIRED, PaymentStatus.class),
    PAYMENT_CHANNEL_TXN_ID(ShopTable.PAYMENTS, "channel-txn-id", Kind.TEXT, Need.OPTIONAL, null),
    PAYMENT_CREATED_AT(ShopTable.PAYMENTS, "created-at", Kind.TIME, Need.REQUIRED, null),
    /** When the payment entered its current status: re-query deadlines count from it. */
    PAYMENT_UPDATED_AT(ShopTable.PAYMENTS, "updated-at", Kind.TIME, Need.REQUIRED, null),

    SKU_ID(ShopTable.INVENTORY, "sku-id", Kind.KEY, Need.REQUIRED, null),
    SKU_NAME(ShopTable.INVENTORY, "name", Kind.TEXT, Need.OPTIONAL, null),
    SKU_STOCK(ShopTable.INVENTORY, "stock", Kind.INTEGER, Need.REQUIRED, null),
    SKU_DEDUCT_MODE(ShopTable.INVENTORY, "deduct-mode", Kind.ENUM, Need.REQUIRED, DeductMode.class),
    SKU_PER_USER_LIMIT(ShopTable.INVENTORY, "per-user-limit", Kind.INTEGER, Need.OPTIONAL, null),
    SKU_UPDATED_AT(ShopTable.INVENTORY, "updated-at", Kind.TIME, Need.OPTIONAL, null),

    /** The shop's refund number sent to the channel (out_refund_no, out_request_no). */
    REFUND_ID(ShopTable.REFUNDS, "refund-id", Kind.TEXT, Need.REQUIRED, null),
    /** The refunded payment, by its payment id (the channel's out_trade_no). */
    REFUND_PAYMENT_ID(ShopTable.REFUNDS, "payment-id", Kind.TEXT, Need.REQUIRED, null),
    /** The refunded order; absent, alerts and outcomes name no order (0). */
    REFUND_ORDER_ID(ShopTable.REFUNDS, "order-id", Kind.KEY, Need.OPTIONAL, null),
    REFUND_CHANNEL(ShopTable.REFUNDS, "channel", Kind.ENUM, Need.REQUIRED, PaymentChannel.class),
    REFUND_AMOUNT(ShopTable.REFUNDS, "amount", Kind.MONEY, Need.REQUIRED, null),
    REFUND_STATUS(ShopTable.REFUNDS, "status", Kind.ENUM, Need.REQUIRED, RefundRowStatus.class),
    REFUND_CHANNEL_REFUND_ID(ShopTable.REFUNDS, "channel-refund-id", Kind.TEXT, Need.OPTIONAL, null),
    REFUND_CREATED_AT(ShopTable.REFUNDS, "created-at", Kind.TIME, Need.REQUIRED, null),
    /** When the refund entered its current status: refund re-query deadlines count from it. */
    REFUND_UPDATED_AT(ShopTable.REFUNDS, "updated-at", Kind.TIME, Need.REQUIRED, null);

    /** The kind of value a field carries, which decides the column types that can carry it. */
    public enum Kind {
        /** A whole-number id: an integer column, or text of decimal digits (an order number). */
        KEY,
        INTEGER,
        TEXT,
        /** An exact amount: decimal yuan, or whole fen in an integer column ({@code unit: fen}). */
        MONEY,
        /** A point in time: TIMESTAMP, DATETIME in a declared zone, or epoch seconds/millis. */
        TIME,
        /** One of paystream's values, through a value map when the shop's codes differ. */
        ENUM
    }

    /** Whether a table mapping must give the field (a column or a default). */
    public enum Need {
        REQUIRED,
        /** Absent: the feature that reads it is switched off, and the start says so. */
        OPTIONAL
    }

    public final ShopTable table;
    /** The field's name in a mapping file's {@code columns:} section. */
    public final String key;

    public final Kind kind;
    public final Need need;
    /** The enum an ENUM field maps onto; null for other kinds. */
    public final Class<? extends Enum<?>> values;

    ShopField(ShopTable table, String key, Kind kind, Need need, Class<? extends Enum<?>> values) {
        this.table = table;
        this.key = key;
        this.kind = kind;
        this.need = need;
        this.values = values;
    }

    public static List<ShopField> of(ShopTable table) {
        List<ShopField> out = new ArrayList<>();
        for (ShopField f : values()) {
            if (f.table == table) {
                out.add(f);
            }
        }
        return out;
    }

    public static ShopField of(ShopTable table, String key) {
        for (ShopField f : values()) {
            if (f.table == table && f.key.equals(key)) {
                return f;
            }
        }
        return null;
    }
}
