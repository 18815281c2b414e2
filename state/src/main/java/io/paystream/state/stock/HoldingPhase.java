package io.paystream.state.stock;

/**
 * What an order's units of one SKU are, as the order-keyed stage tells the SKU-keyed ledger.
 * New values are only ever appended.
 */
public enum HoldingPhase {
    /** The order is live and unpaid: a reservation where the SKU deducts on order. */
    OPEN,
    /** The order is paid (order PAID or a payment SUCCESS): sold units. */
    PAID,
    /** Cancelled, closed, expired unpaid, deleted, or the line removed: the units count nowhere. */
    RELEASED,
    /**
     * The order stage forgets the order (its retention is over): the ledger keeps the units where
     * they are (sold stays sold) and drops its per-order entry.
     */
    RETIRED;

    /** Units that belong to a live order (for purchase limits). */
    public boolean isLive() {
        return this == OPEN || this == PAID;
    }
}
