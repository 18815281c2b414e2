package io.paystream.state.shop;

import java.util.Objects;

/** One row of {@code shop.inventory}: a SKU, its stock and how it is deducted. */
public class InventoryRow {
    public long skuId;
    public String name;
    public int stock;
    public DeductMode deductMode;
    /** Units one user may hold across live orders; {@code null} means no limit. */
    public Integer perUserLimit;

    public long updatedAtMs;

    public InventoryRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof InventoryRow)) return false;
        InventoryRow r = (InventoryRow) o;
        return skuId == r.skuId
                && stock == r.stock
                && updatedAtMs == r.updatedAtMs
                && Objects.equals(name, r.name)
                && deductMode == r.deductMode
                && Objects.equals(perUserLimit, r.perUserLimit);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(skuId);
    }

    @Override
    public String toString() {
        return "InventoryRow{skuId=" + skuId + ", stock=" + stock + ", deductMode=" + deductMode + ", perUserLimit="
                + perUserLimit + '}';
    }
}
