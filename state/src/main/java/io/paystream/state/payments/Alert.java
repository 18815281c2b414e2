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

    /** {@code {type}:{subject}[:{origin}]}: deterministic, so consumers can deduplicate. */
    public String alertId;
    public String type;
    public String paymentId;
    public Long orderId;
    public Long skuId;
    public Long userId;
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
