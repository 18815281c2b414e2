package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.reconcile.ReconcileClass;
import io.paystream.state.reconcile.ReconcileFinding;
import io.paystream.state.reconcile.ShopSide;
import io.paystream.state.reconcile.ShopStatus;
import io.paystream.state.shop.PaymentChannel;
import java.util.Optional;

/**
 * The reconciliation rule for one payment or refund: what the bill says of it against what the shop
 * says, either side possibly absent. Pure, so a keyed function (keyed by {@link #key}, its state one
 * {@link BillLine} and one {@link ShopSide}) calls it whenever either side arrives or a hold ends.
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>A bill line the shop has no record of at all is CHANNEL_ONLY, even a revoked payment: the
 *       bill names an id the shop never issued, worth a person's look.
 *   <li>A bill line whose money moved against a shop record still CREATED or IN_PROGRESS is
 *       CHANNEL_ONLY (the shop has no such success) with the shop's status set, so the caller can
 *       re-notify the business; against FAILED or CLOSED it is STATUS_MISMATCH.
 *   <li>A refund the bill shows accepted but unfinished (IN_PROGRESS) matches the shop's SUCCESS or
 *       IN_PROGRESS: the bill's refund status is never updated after the day it was written.
 *   <li>A bill line whose money did not move (revoked, refund closed) matches a shop record that is
 *       not SUCCESS, and is STATUS_MISMATCH against a SUCCESS.
 *   <li>Amounts are compared whenever both sides say the money moved: the bill's order amount (or
 *       refund asked) against the shop's amount, to the fen.
 * </ul>
 */
public final class Reconciliation implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final LocalOnlyHold hold;

    public Reconciliation(LocalOnlyHold hold) {
        this.hold = hold;
    }

    /** The key both sides of one payment or refund meet under. */
    public static String key(PaymentChannel channel, BillLineKind kind, String shopId) {
        return channel + ":" + kind + ":" + shopId;
    }

    /** The finding's id: the same facts give the same id, whichever file or run found them. */
    public static String findingId(PaymentChannel channel, BillLineKind kind, String shopId, ReconcileClass c) {
        return "recon:" + key(channel, kind, shopId) + ":" + c;
    }

    /**
     * The finding for one key; empty when there is nothing to reconcile (no bill line, and the shop's
     * record is not a success). At least one side must be given.
     */
    public Optional<ReconcileFinding> classify(BillLine bill, ShopSide shop) {
        if (bill == null && shop == null) {
            throw new IllegalArgumentException("neither a bill line nor a shop record");
        }
        if (bill == null) {
            if (shop.status != ShopStatus.SUCCESS) {
                return Optional.empty();
            }
            ReconcileFinding f = finding(ReconcileClass.LOCAL_ONLY, null, shop);
            f.alertableAt = hold.alertableAt(shop.successAtMs);
            return Optional.of(f);
        }
        return Optional.of(finding(classOf(bill, shop), bill, shop));
    }

    private static ReconcileClass classOf(BillLine bill, ShopSide shop) {
        if (shop == null) {
            return ReconcileClass.CHANNEL_ONLY;
        }
        if (bill.outcome == BillOutcome.NOT_SUCCESS) {
            return shop.status == ShopStatus.SUCCESS ? ReconcileClass.STATUS_MISMATCH : ReconcileClass.MATCHED;
        }
        switch (shop.status) {
            case FAILED:
            case CLOSED:
                return ReconcileClass.STATUS_MISMATCH;
            case CREATED:
                return ReconcileClass.CHANNEL_ONLY;
            case IN_PROGRESS:
                if (bill.outcome != BillOutcome.IN_PROGRESS) {
                    return ReconcileClass.CHANNEL_ONLY;
                }
                return amountsAgree(bill, shop);
            default:
                return amountsAgree(bill, shop);
        }
    }

    private static ReconcileClass amountsAgree(BillLine bill, ShopSide shop) {
        return bill.amountFen == shop.amountFen ? ReconcileClass.MATCHED : ReconcileClass.AMOUNT_MISMATCH;
    }

    private static ReconcileFinding finding(ReconcileClass c, BillLine bill, ShopSide shop) {
        ReconcileFinding f = new ReconcileFinding();
        f.findingClass = c;
        if (bill != null) {
            f.channel = bill.channel;
            f.kind = bill.kind;
            f.paymentId = bill.paymentId;
            f.refundId = bill.refundId;
            f.billDate = bill.billDate;
            f.billAmountFen = bill.amountFen;
            f.billStatus = bill.tradeStatus;
            f.channelTxnId = bill.channelTxnId;
            f.sourceFile = bill.sourceFile;
            f.lineNumber = bill.lineNumber;
        } else {
            f.channel = shop.channel;
            f.kind = shop.kind;
            f.paymentId = shop.paymentId;
            f.refundId = shop.refundId;
        }
        if (shop != null) {
            f.shopAmountFen = shop.amountFen;
            f.shopStatus = shop.status;
        }
        f.id = findingId(f.channel, f.kind, f.kind == BillLineKind.REFUND ? f.refundId : f.paymentId, c);
        return f;
    }
}
