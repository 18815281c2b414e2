package io.paystream.state.shop;

/** Status of a business order ({@code shop.orders.status}). New values are only ever appended. */
public enum OrderStatus {
    CREATED,
    PAID,
    CANCELLED,
    CLOSED;

    /** An order that can still become PAID. */
    public boolean isOpen() {
        return this == CREATED;
    }
}
