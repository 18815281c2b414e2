package io.paystream.functions.reconcile;

import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.ReconcileFinding;
import io.paystream.state.reconcile.ShopSide;
import io.paystream.state.reconcile.SummaryMismatch;

/** The alerts and commands a reconciliation finding leads to. */
final class ReconcileMessages {
    private ReconcileMessages() {}

    /** The alert of a discrepancy; its id is the finding's, so a consumer can join the two. */
    static Alert alert(ReconcileFinding f, ShopSide shop, long now) {
        Alert a = new Alert();
        a.type = "RECONCILE_" + f.findingClass.name();
        a.alertId = f.id;
        a.paymentId = f.paymentId;
        a.refundId = f.refundId;
        a.orderId = shop == null ? null : shop.orderId;
        a.channel = f.channel.name();
        Long fen = f.billAmountFen != null ? f.billAmountFen : f.shopAmountFen;
        a.amount = fen == null ? null : Money.yuan(fen);
        a.reason = reason(f);
        a.raisedAt = now;
        return a;
    }

    private static String reason(ReconcileFinding f) {
        String what =
                (f.kind == BillLineKind.REFUND ? "refund " + f.refundId + " of payment " : "payment ") + f.paymentId;
        String bill = f.billDate == null
                ? null
                : f.channel + "'s bill of " + f.billDate + " (" + f.sourceFile + ":" + f.lineNumber + ") says "
                        + f.billStatus + " " + Money.yuan(f.billAmountFen);
        String shop = f.shopStatus == null
                ? "the shop has no such record"
                : "the shop has it " + f.shopStatus + " " + Money.yuan(f.shopAmountFen);
        switch (f.findingClass) {
            case LOCAL_ONLY:
                return what + ": " + shop + ", and no bill of " + f.channel + " carried it up to the last pending day";
            case CHANNEL_ONLY:
                return what + ": " + bill + ", " + shop
                        + (f.kind == BillLineKind.REFUND ? ": money given back" : ": money taken")
                        + " with nothing in the shop to show for it";
            default:
                return what + ": " + bill + ", " + shop;
        }
    }

    /**
     * The business did not learn of a payment the channel charged (its row is still unpaid): tell it,
     * with what it needs to apply the payment. One per payment and bill day.
     */
    static OrderCommand renotify(BillLine bill, ShopSide shop, long now) {
        OrderCommand c = new OrderCommand();
        c.type = OrderCommand.RENOTIFY_BUSINESS;
        c.commandId = c.type + ":" + bill.paymentId + ":bill:" + bill.billDate;
        c.orderId = shop.orderId;
        c.paymentId = bill.paymentId;
        c.channel = bill.channel.name();
        c.channelTxnId = bill.channelTxnId;
        c.amount = Money.yuan(bill.amountFen);
        c.paidAt = bill.tradeTimeMs;
        c.reason = "the bill of " + bill.billDate + " of " + bill.channel + " shows payment " + bill.paymentId
                + " paid " + Money.yuan(bill.amountFen) + ", the shop has it " + shop.status;
        c.emittedAt = now;
        return c;
    }

    static Alert alert(SummaryMismatch m, long now) {
        Alert a = new Alert();
        a.type = Alert.RECONCILE_SUMMARY_MISMATCH;
        a.alertId = m.id;
        a.channel = m.channel.name();
        a.reason = m.channel + "'s bill of " + m.billDate + " (" + m.sourceFile + ") "
                + (m.stated == null
                        ? "states no totals (a truncated download?); its lines add up to " + m.computed + " lines"
                        : "states " + m.figure + " " + m.stated + ", its lines add up to " + m.computed)
                + (m.rejectedLines > 0 ? " (" + m.rejectedLines + " lines rejected)" : "");
        a.raisedAt = now;
        return a;
    }
}
