package io.paystream.state.cdc;

/** The shop tables paystream reads (docs/contract.md). */
public enum ShopTable {
    ORDERS("orders"),
    ORDER_ITEMS("order_items"),
    PAYMENTS("payments"),
    INVENTORY("inventory"),
    /** The payment center's refunds; optional in a table mapping (the refund watch is off without it). */
    REFUNDS("refunds");

    private final String tableName;

    ShopTable(String tableName) {
        this.tableName = tableName;
    }

    /** The table's name in the {@code shop} database. */
    public String tableName() {
        return tableName;
    }

    public static ShopTable ofTableName(String name) {
        for (ShopTable t : values()) {
            if (t.tableName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
