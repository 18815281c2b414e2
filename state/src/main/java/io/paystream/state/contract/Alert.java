package io.paystream.state.contract;

/**
 * Something a person must look at ({@code payment.alerts}, docs/contract.md). An output type only,
 * never kept in state: fields may be added (nullable), consumers ignore what they do not know.
 */
public class Alert {
    public static final String LOST_PAYMENT_EXTERNAL = "LOST_PAYMENT_EXTERNAL";
    public static final String LOST_PAYMENT_INTERNAL = "LOST_PAYMENT_INTERNAL";

    // Refunds (refund watch).
    /**
     * A refund in REFUNDING with no outcome after its last refund re-query's answer time: the money
     * may or may not have gone back; a person must look. Keyed by the refunded payment.
     */
    public static final String LOST_REFUND = "LOST_REFUND";
    /**
     * Verified refund notifications whose refund row never arrived within the row wait (kept, and
     * applied if the row is only late), as UNKNOWN_PAYMENT is for payments. Keyed by the refunded
     * payment when the notification names it, else by the refund.
     */
    public static final String UNKNOWN_REFUND = "UNKNOWN_REFUND";
    /**
     * The successful refunds of one payment add up to more than the payment paid; the reason names
     * them, {@code amount} is the excess. Raised once per payment. Keyed by the payment.
     */
    public static final String REFUND_EXCEEDS_PAYMENT = "REFUND_EXCEEDS_PAYMENT";

    // Reconciliation with the channels' daily bills (reconciliation job). The alertId is the
    // finding's id on payment.reconciliation.
    /**
     * The channel's bill shows money taken (or given back) that the shop has no success for: the
     * worst lost payment. Keyed by the payment.
     */
    public static final String RECONCILE_CHANNEL_ONLY = "RECONCILE_CHANNEL_ONLY";
    /** A success in the shop that no bill carried within the pending days. Keyed by the payment. */
    public static final String RECONCILE_LOCAL_ONLY = "RECONCILE_LOCAL_ONLY";
    /** The bill and the shop disagree on the amount. Keyed by the payment. */
    public static final String RECONCILE_AMOUNT_MISMATCH = "RECONCILE_AMOUNT_MISMATCH";
    /** The bill and the shop disagree on whether the money moved. Keyed by the payment. */
    public static final String RECONCILE_STATUS_MISMATCH = "RECONCILE_STATUS_MISMATCH";
    /**
     * A bill's stated totals that its own lines do not add up to (a truncated or altered file).
     * Keyed by the alert id (there is no payment).
     */
    public static final String RECONCILE_SUMMARY_MISMATCH = "RECONCILE_SUMMARY_MISMATCH";

    // Rejected notifications (callbacks and query answers).
    public static final String FORGED_CALLBACK = "FORGED_CALLBACK";
    public static final String AMOUNT_MISMATCH = "AMOUNT_MISMATCH";
    public static final String UNKNOWN_PAYMENT = "UNKNOWN_PAYMENT";
    public static final String STALE_CALLBACK = "STALE_CALLBACK";

    // Stock ledger (stock-ledger job).
    /** Paid units of a SKU beyond its stock: the order needs a refund or compensation. */
    public static final String OVERSOLD = "OVERSOLD";
    /** A user holds more units of a SKU across live orders than its per_user_limit. */
    public static final String PURCHASE_LIMIT_EXCEEDED = "PURCHASE_LIMIT_EXCEEDED";
    /** An account or client IP created more unpaid orders within the risk window than allowed. */
    public static final String SUSPICIOUS_ACCOUNT = "SUSPICIOUS_ACCOUNT";
    /** An order with the same submit_hash as an earlier one within the dedup window. */
    public static final String DUPLICATE_SUBMISSION = "DUPLICATE_SUBMISSION";

    /** {@code {type}:{subject}[:{origin}]}: deterministic, so consumers can deduplicate. */
    public String alertId;

    public String type;
    /** The payment the alert is about, as paystream verified it (a signed or matched notification). */
    public String paymentId;
    /**
     * FORGED_CALLBACK raised by verification: the payment id the rejected notification names, read
     * without trusting it (a forger chooses it); absent when it could not be read.
     */
    public String claimedPaymentId;
    /**
     * FORGED_CALLBACK and STALE_CALLBACK raised by verification: the rejected record's notification
     * id (the envelope's {@code notifyId}, a query answer's {@code commandId}), else its Kafka key,
     * else its coordinates {@code kafka:{topic}/{partition}@{offset}}; as unverified as the record.
     */
    public String notifyId;

    /** The refund the alert is about (LOST_REFUND, UNKNOWN_REFUND, a rejected refund notification). */
    public String refundId;

    public Long orderId;
    public Long skuId;
    public Long userId;
    /** SUSPICIOUS_ACCOUNT about a client IP. */
    public String clientIp;

    public String channel;
    /** Exact decimal, yuan. */
    public String amount;

    public String reason;
    public long raisedAt;

    public Alert() {}

    /**
     * The Kafka key of the alert on {@code payment.alerts} (docs/contract.md), never null: the
     * subject of its type (payment, SKU, account or client IP, order; for a rejected notification the
     * verified payment, else the claimed one, else the notification id), and when an alert lacks it,
     * the first subject it has, at worst its alertId. Every job's alerts sink keys by this.
     */
    public String kafkaKey() {
        String key;
        switch (type == null ? "" : type) {
            case LOST_PAYMENT_EXTERNAL:
            case LOST_PAYMENT_INTERNAL:
            case AMOUNT_MISMATCH:
            case UNKNOWN_PAYMENT:
            case LOST_REFUND:
            case REFUND_EXCEEDS_PAYMENT:
            case RECONCILE_CHANNEL_ONLY:
            case RECONCILE_LOCAL_ONLY:
            case RECONCILE_AMOUNT_MISMATCH:
            case RECONCILE_STATUS_MISMATCH:
                key = paymentId;
                break;
            case UNKNOWN_REFUND:
                key = firstOf(paymentId, refundId);
                break;
            case FORGED_CALLBACK:
            case STALE_CALLBACK:
                key = firstOf(paymentId, claimedPaymentId, notifyId);
                break;
            case OVERSOLD:
            case PURCHASE_LIMIT_EXCEEDED:
                key = skuId == null ? null : String.valueOf(skuId);
                break;
            case SUSPICIOUS_ACCOUNT:
                key = userId != null ? String.valueOf(userId) : clientIp;
                break;
            case DUPLICATE_SUBMISSION:
                key = orderId == null ? null : String.valueOf(orderId);
                break;
            default:
                key = null;
        }
        if (key != null) {
            return key;
        }
        // An alert without its type's subject (a new type, a producer's bug): still keyed.
        return firstOf(
                paymentId,
                claimedPaymentId,
                orderId == null ? null : String.valueOf(orderId),
                skuId == null ? null : String.valueOf(skuId),
                userId == null ? null : String.valueOf(userId),
                clientIp,
                refundId,
                notifyId,
                alertId,
                type,
                "-");
    }

    private static String firstOf(String... candidates) {
        for (String c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Alert{" + alertId + ", " + reason + '}';
    }
}
