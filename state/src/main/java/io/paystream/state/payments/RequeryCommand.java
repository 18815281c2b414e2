package io.paystream.state.payments;

/** A command to query the channel about a payment ({@code payment.requery}, docs/contract.md). */
public class RequeryCommand {
    /** {@code {paymentId}:{payingSince}:{attempt}}: the same command always gets the same id. */
    public String commandId;

    public String paymentId;
    public long orderId;
    public String channel;
    public int attempt;
    public int maxAttempts;
    public long payingSince;
    public long dueAt;
    public long emittedAt;

    public RequeryCommand() {}

    /** The Kafka key on {@code payment.requery} (docs/contract.md): the payment id, never null. */
    public String kafkaKey() {
        return paymentId != null ? paymentId : String.valueOf(orderId);
    }

    public static String commandId(String paymentId, long payingSince, int attempt) {
        return paymentId + ":" + payingSince + ":" + attempt;
    }

    @Override
    public String toString() {
        return "RequeryCommand{" + commandId + ", due=" + dueAt + ", emitted=" + emittedAt + '}';
    }
}
