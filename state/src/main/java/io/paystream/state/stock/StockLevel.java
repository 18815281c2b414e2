package io.paystream.state.stock;

/**
 * A SKU's live counts, absolute, as published to the Redis hash {@code stock:{sku_id}}. Writing
 * it again (a replay) leaves the same hash.
 */
public class StockLevel {
    public long skuId;
    /** {@code inventory.stock}. */
    public long total;
    /** Units of live unpaid orders where the SKU deducts on order; 0 where it deducts on payment. */
    public long reserved;
    /** Units of paid orders. */
    public long sold;
    /** total - reserved - sold; negative when oversold or overbooked. */
    public long available;
    /** max(0, sold - total). */
    public long oversold;
    /** {@code ORDER} or {@code PAYMENT} (ORDER until the inventory row is seen). */
    public String mode;
    /** Increases with every publication of the SKU. */
    public long version;
    /** When the ledger computed it (epoch ms). */
    public long updatedAt;

    public StockLevel() {}

    @Override
    public String toString() {
        return "StockLevel{sku=" + skuId + ", total=" + total + ", reserved=" + reserved + ", sold=" + sold
                + ", available=" + available + ", v" + version + '}';
    }
}
