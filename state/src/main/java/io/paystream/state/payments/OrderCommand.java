package io.paystream.state.payments;

/** A command to the order system ({@code order.commands}, docs/contract.md). */
public class OrderCommand {
    public static final String RENOTIFY_BUSINESS = "RENOTIFY_BUSINESS";

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

    @Override
    public String toString() {
        return "OrderCommand{" + commandId + ", " + reason + '}';
    }
}
