package io.paystream.state.reconcile;

import io.paystream.state.shop.PaymentChannel;

/**
 * The result of comparing one payment or refund on a bill with the shop's record of it. Its {@link
 * #id} is derived from the facts (channel, kind, the shop's id, the class), so re-reading a bill
 * gives the same ids and consumers can deduplicate.
 */
public class ReconcileFinding {
    public String id;
    public ReconcileClass findingClass;
    public PaymentChannel channel;
    public BillLineKind kind;
    public String paymentId;
    /** Null for payments. */
    public String refundId;

    /** The bill's day that carried the line; null for LOCAL_ONLY. */
    public String billDate;
    /** The bill's amount in fen; null when the bill has no such line. */
    public Long billAmountFen;
    /** The shop's amount in fen; null when the shop has no such record. */
    public Long shopAmountFen;
    /** The bill's status words; null when the bill has no such line. */
    public String billStatus;
    /** The shop's status; null when the shop has no such record. */
    public ShopStatus shopStatus;
    /** The channel's transaction id, when the bill gave one. */
    public String channelTxnId;

    /** Where the bill line is (null for LOCAL_ONLY): the file and its line. */
    public String sourceFile;

    public int lineNumber;
    /**
     * LOCAL_ONLY: when the missing success becomes alertable (epoch ms); until then a later day's
     * bill may still carry it. Meaningless for the other classes.
     */
    public long alertableAt;

    public ReconcileFinding() {}

    /** The shop has a row for it (a payment in PAYING, say): the business can be re-notified. */
    public boolean shopRowExists() {
        return shopStatus != null;
    }

    @Override
    public String toString() {
        return "ReconcileFinding{" + id + " bill=" + billAmountFen + '/' + billStatus + ", shop=" + shopAmountFen + '/'
                + shopStatus + ", at " + sourceFile + ':' + lineNumber + '}';
    }
}
