package io.paystream.state.refunds;

/** A command to query the channel about a refund, as {@code RequeryCommand} is for a payment. */
public class RefundRequeryCommand {
    /**
     * {@code {refundId}:{refundingVersion}:{attempt}}: the same command always gets the same id, also
     * when a restore or a CDC re-read replays the row that entered REFUNDING.
     */
    public String commandId;

    public String refundId;
    /** The refunded payment: Alipay's refund query needs it ({@code out_trade_no} with {@code out_request_no}). */
    public String paymentId;

    public long orderId;
    public String channel;
    /** The channel's refund id when the row has one (WeChat Pay's {@code refund_id}); null otherwise. */
    public String channelRefundId;

    public int attempt;
    public int maxAttempts;
    /** Binlog version of the row that entered REFUNDING. */
    public long refundingVersion;
    /** The refund row's time of entering REFUNDING: the schedule's origin. */
    public long refundingSince;

    public long dueAt;
    public long emittedAt;

    public RefundRequeryCommand() {}

    /** The Kafka key: the refund id, never null. */
    public String kafkaKey() {
        return refundId != null ? refundId : commandId;
    }

    public static String commandId(String refundId, long refundingVersion, int attempt) {
        return refundId + ":" + refundingVersion + ":" + attempt;
    }

    @Override
    public String toString() {
        return "RefundRequeryCommand{" + commandId + ", due=" + dueAt + ", emitted=" + emittedAt + '}';
    }
}
