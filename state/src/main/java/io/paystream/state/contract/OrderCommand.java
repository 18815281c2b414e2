package io.paystream.state.contract;

/** A command to the order system ({@code order.commands}, docs/contract.md). */
public class OrderCommand {
    public static final String RENOTIFY_BUSINESS = "RENOTIFY_BUSINESS";

    // Stock ledger (stock-ledger job): the order system cancels the order if it is still CREATED.
    /** Not paid within the pay timeout: its reservation is released. */
    public static final String CANCEL_UNPAID = "CANCEL_UNPAID";
    /** A later submission of the same content (submit_hash) within the dedup window. */
    public static final String CANCEL_DUPLICATE = "CANCEL_DUPLICATE";
    /** Takes its user beyond a SKU's per_user_limit. */
    public static final String CANCEL_OVER_LIMIT = "CANCEL_OVER_LIMIT";

    /** Deterministic: the same command always gets the same id. */
    public String commandId;

    public String type;
    public long orderId;
    public String paymentId;
    public String channel;
    public String channelTxnId;
    /** Exact decimal, yuan. */
    public String amount;

    public Long paidAt;
    public Integer attempt;
    public Integer maxAttempts;
    public String reason;
    public long emittedAt;

    public OrderCommand() {}

    /** The Kafka key on {@code order.commands} (docs/contract.md): the order id, never null. */
    public String kafkaKey() {
        return String.valueOf(orderId);
    }

    @Override
    public String toString() {
        return "OrderCommand{" + commandId + ", " + reason + '}';
    }
}
