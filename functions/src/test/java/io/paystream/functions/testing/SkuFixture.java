package io.paystream.functions.testing;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;

/** An {@code inventory} row change; see {@link Fixtures#sku}. */
public final class SkuFixture extends ChangeFixture<InventoryRow, SkuFixture> {
    private final long skuId;
    private int stock;
    private DeductMode mode = DeductMode.ORDER;
    private Integer perUserLimit;

    SkuFixture(long skuId) {
        this.skuId = skuId;
    }

    public SkuFixture stock(int stock) {
        this.stock = stock;
        return this;
    }

    public SkuFixture deductsOnOrder() {
        return deducts(DeductMode.ORDER);
    }

    public SkuFixture deductsOnPayment() {
        return deducts(DeductMode.PAYMENT);
    }

    public SkuFixture deducts(DeductMode mode) {
        this.mode = mode;
        return this;
    }

    /** At most this many units per user (null: no limit). */
    public SkuFixture limitPerUser(Integer perUserLimit) {
        this.perUserLimit = perUserLimit;
        return this;
    }

    @Override
    public RowChange<InventoryRow> change() {
        InventoryRow r = new InventoryRow();
        r.skuId = skuId;
        r.name = "sku " + skuId;
        r.stock = stock;
        r.deductMode = mode;
        r.perUserLimit = perUserLimit;
        return new RowChange<>(updateOrRead(), null, r, sourceTsMs, version);
    }
}
