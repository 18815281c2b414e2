package io.paystream.state.stock;

import io.paystream.state.shop.OrderStatus;

/**
 * An order change as the risk check sees it, once per subject it is counted against: the account
 * ({@code user:{user_id}}) and the client IP ({@code ip:{client_ip}}).
 */
public class AccountOrder {
    /** {@code user:{user_id}} or {@code ip:{client_ip}}: the key. */
    public String subject;

    public long orderId;
    public long userId;
    public String clientIp;
    public OrderStatus status;
    public boolean deleted;
    public long createdAtMs;
    public long version;

    public AccountOrder() {}

    public boolean isAccount() {
        return subject.startsWith("user:");
    }
}
