package io.paystream.state.shop;

/** When a SKU's stock is deducted ({@code shop.inventory.deduct_mode}). */
public enum DeductMode {
    /** Reserve on order creation; release on cancel, close or unpaid expiry. */
    ORDER,
    /** Deduct when the order's payment succeeds; oversell is detected, not prevented. */
    PAYMENT
}
