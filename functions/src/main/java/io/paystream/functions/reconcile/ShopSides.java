package io.paystream.functions.reconcile;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.ShopSide;
import io.paystream.state.reconcile.ShopStatus;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;

/** The shop's rows (by CDC) as the shop's side of a reconciliation key. */
public final class ShopSides {
    private ShopSides() {}

    public static ShopSide of(RowChange<PaymentRow> change) {
        PaymentRow row = change.row();
        ShopSide s = ShopSide.payment(
                row.channel, row.paymentId, row.amountCents, ShopStatus.of(row.status), row.updatedAtMs);
        return common(s, change, row.orderId, row.createdAtMs);
    }

    public static ShopSide ofRefund(RowChange<RefundRow> change) {
        RefundRow row = change.row();
        ShopSide s = ShopSide.refund(
                row.channel, row.paymentId, row.refundId, row.amountCents, status(row), row.updatedAtMs);
        return common(s, change, row.orderId, row.createdAtMs);
    }

    /** The key this side meets its bill line under. */
    public static String key(ShopSide s) {
        return Reconciliation.key(s.channel, s.kind, s.kind == BillLineKind.REFUND ? s.refundId : s.paymentId);
    }

    private static ShopSide common(ShopSide s, RowChange<?> change, long orderId, long createdAtMs) {
        // A row's updated_at when it says SUCCESS is when it succeeded (as far as the shop knows);
        // the reconciliation keeps the first such time of a row.
        s.orderId = orderId;
        s.createdAtMs = createdAtMs;
        s.version = change.version;
        s.deleted = change.isDelete();
        return s;
    }

    private static ShopStatus status(RefundRow row) {
        switch (row.status) {
            case CREATED:
                return ShopStatus.CREATED;
            case REFUNDING:
                return ShopStatus.IN_PROGRESS;
            case SUCCESS:
                return ShopStatus.SUCCESS;
            case FAILED:
                return ShopStatus.FAILED;
            default:
                return ShopStatus.CLOSED;
        }
    }
}
