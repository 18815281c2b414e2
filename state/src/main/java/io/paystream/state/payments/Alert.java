package io.paystream.state.payments;

/** Something a person must look at ({@code payment.alerts}, docs/contract.md). */
public class Alert {
    public static final String LOST_PAYMENT_EXTERNAL = "LOST_PAYMENT_EXTERNAL";
    public static final String LOST_PAYMENT_INTERNAL = "LOST_PAYMENT_INTERNAL";

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
    public String paymentId;
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

    @Override
    public String toString() {
        return "Alert{" + alertId + ", " + reason + '}';
    }
}
