package io.paystream.state.stock;

import io.paystream.state.shop.DeductMode;

/**
 * The counts of one SKU, kept by the SKU-keyed ledger. Open and paid units are kept whatever the
 * deduct mode; what counts as reserved follows the mode when the counts are published, so an
 * operator switching a SKU's mode needs no recount.
 */
public class SkuLedger {
    /** {@code inventory.stock}: the total. */
    public long stock;
    /** Null until the inventory row is seen: counted as ORDER meanwhile. */
    public DeductMode mode;
    /** Null: no limit. */
    public Integer perUserLimit;
    /** Binlog version of the newest inventory row applied; -1: none yet. */
    public long inventoryVersion = -1;
    /** Units of live unpaid orders. */
    public long openUnits;
    /** Units of paid orders, also of retired ones (sold stays sold). */
    public long paidUnits;
    /** Counts sales, to rank them: the latest sales are the ones beyond the stock. */
    public long saleSeq;
    /** Publication counter: the {@code version} field of the Redis hash. */
    public long revision;
    /** Last published reserved and sold units (publish only on change). */
    public long publishedReserved;

    public long publishedSold;

    public SkuLedger() {}

    public long reserved() {
        return mode == DeductMode.PAYMENT ? 0 : openUnits;
    }
}
