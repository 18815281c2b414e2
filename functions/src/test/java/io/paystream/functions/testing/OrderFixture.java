package io.paystream.functions.testing;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;

/**
 * An {@code orders} row change; see {@link Fixtures#order}. A CREATED row is an insert; any other
 * status an update whose before image is the order as created.
 */
public final class OrderFixture extends ChangeFixture<OrderRow, OrderFixture> {
    private final long orderId;
    private long userId = 9;
    private OrderStatus status = OrderStatus.CREATED;
    private long totalAmountCents = 2000;
    private String submitHash;
    private boolean noSubmitHash;
    private String clientIp;
    private String orderNo;
    private long createdAtMs;

    OrderFixture(long orderId) {
        this.orderId = orderId;
    }

    public OrderFixture ofUser(long userId) {
        this.userId = userId;
        return this;
    }

    public OrderFixture created() {
        return status(OrderStatus.CREATED);
    }

    public OrderFixture paid() {
        return status(OrderStatus.PAID);
    }

    public OrderFixture cancelled() {
        return status(OrderStatus.CANCELLED);
    }

    public OrderFixture closed() {
        return status(OrderStatus.CLOSED);
    }

    public OrderFixture status(OrderStatus status) {
        this.status = status;
        return this;
    }

    public OrderFixture totalCents(long totalAmountCents) {
        this.totalAmountCents = totalAmountCents;
        return this;
    }

    /** The submission's content hash (default {@code h<orderId>}: every order unique). */
    public OrderFixture submitHash(String submitHash) {
        this.submitHash = submitHash;
        return this;
    }

    /** No submission hash (an order the duplicate check cannot judge). */
    public OrderFixture noSubmitHash() {
        this.noSubmitHash = true;
        return this;
    }

    /** The client's address (default {@code 10.0.0.<userId>}). */
    /** The order's number, as a shop whose payments name orders by number has one. */
    public OrderFixture number(String orderNo) {
        this.orderNo = orderNo;
        return this;
    }

    public OrderFixture fromIp(String clientIp) {
        this.clientIp = clientIp;
        return this;
    }

    /** The order's {@code created_at} (also its {@code updated_at} and the change's commit time). */
    public OrderFixture at(long createdAtMs) {
        this.createdAtMs = createdAtMs;
        this.sourceTsMs = createdAtMs;
        return this;
    }

    @Override
    public RowChange<OrderRow> change() {
        if (version == 0 || status == OrderStatus.CREATED) {
            return new RowChange<>(insertOrRead(), null, row(status), sourceTsMs, version);
        }
        return new RowChange<>(ChangeOp.UPDATE, row(OrderStatus.CREATED), row(status), sourceTsMs, version);
    }

    private OrderRow row(OrderStatus s) {
        OrderRow o = new OrderRow();
        o.orderId = orderId;
        o.orderNo = orderNo;
        o.userId = userId;
        o.status = s;
        o.totalAmountCents = totalAmountCents;
        o.submitHash = noSubmitHash ? null : submitHash == null ? "h" + orderId : submitHash;
        o.clientIp = clientIp == null ? "10.0.0." + userId : clientIp;
        o.createdAtMs = createdAtMs;
        o.updatedAtMs = createdAtMs;
        return o;
    }
}
