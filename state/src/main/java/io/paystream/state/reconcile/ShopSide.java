package io.paystream.state.reconcile;

import io.paystream.state.shop.PaymentChannel;

/**
 * What the shop says of one payment or refund: the shop's side of a reconciliation key's state.
 * Small on purpose (the key's state holds one of these and one {@link BillLine}).
 */
public class ShopSide {
    public PaymentChannel channel;
    public BillLineKind kind;
    public String paymentId;
    /** The refund id; null for a payment. */
    public String refundId;

    public long amountFen;
    public ShopStatus status;
    /** When it succeeded (epoch ms); meaningful only while {@link #status} is SUCCESS. */
    public long successAtMs;
    /** When the shop created it (epoch ms): the day of a record that never succeeded. */
    public long createdAtMs;
    /** The order paid or refunded: what a re-notification of the business names. */
    public long orderId;
    /** The row's change version (binlog order): an older or replayed change is not applied. */
    public long version;
    /** The row was deleted: the shop no longer has it. */
    public boolean deleted;

    public ShopSide() {}

    public static ShopSide payment(
            PaymentChannel channel, String paymentId, long amountFen, ShopStatus status, long successAtMs) {
        ShopSide s = new ShopSide();
        s.channel = channel;
        s.kind = BillLineKind.PAYMENT;
        s.paymentId = paymentId;
        s.amountFen = amountFen;
        s.status = status;
        s.successAtMs = successAtMs;
        return s;
    }

    public static ShopSide refund(
            PaymentChannel channel,
            String paymentId,
            String refundId,
            long amountFen,
            ShopStatus status,
            long successAtMs) {
        ShopSide s = payment(channel, paymentId, amountFen, status, successAtMs);
        s.kind = BillLineKind.REFUND;
        s.refundId = refundId;
        return s;
    }

    /** The time that places it on a bill day: its success, or its creation while it has none. */
    public long dayTimeMs() {
        return status == ShopStatus.SUCCESS ? successAtMs : createdAtMs;
    }

    /** The shop's id: the refund id of a refund, else the payment id. */
    public String shopId() {
        return kind == BillLineKind.REFUND ? refundId : paymentId;
    }

    @Override
    public String toString() {
        return "ShopSide{" + channel + ' ' + kind + " paymentId=" + paymentId + ", refundId=" + refundId
                + ", amountFen=" + amountFen + ", status=" + status + ", successAtMs=" + successAtMs + ", version="
                + version
                + '}';
    }
}
