package io.paystream.state.stock;

/**
 * Where an order is in the order stage's own life ({@link OrderStockState#orderPhase}): whether its
 * row is known and where its unpaid-expiry check stands. Not to be confused with the
 * {@link HoldingPhase} last told to the ledger. New values are only ever appended.
 */
public enum OrderPhase {
    /** Items or a payment came first; the order row is not known yet: nothing is told to the ledger. */
    AWAITING_ORDER_ROW,
    /** Created and unpaid when first seen: its expiry check is due at {@code expiryCheckAt}. */
    EXPIRY_PENDING,
    /**
     * Overdue while a SKU's deduct mode was unknown (inventory not read yet): looked at once more at
     * {@code expiryCheckAt}; a mode still unknown then counts as deduct-on-order.
     */
    MODES_PENDING,
    /** Expired unpaid by this job (CANCEL_UNPAID sent): its units are released unless it gets paid. */
    EXPIRED,
    /** No expiry pending: paid or ended in time, or not unpaid when first seen. */
    NO_EXPIRY;

    /** The expiry check is due at {@code expiryCheckAt}. */
    public boolean expiryDue() {
        return this == EXPIRY_PENDING || this == MODES_PENDING;
    }
}
