package io.paystream.state.refunds;

/**
 * A refund's final outcome as a channel states it. Append-only. WeChat Pay's {@code ABNORMAL} (the
 * money could not go back the original way, e.g. a cancelled card) is {@link #FAILED}: the refund
 * did not reach the payer and a person must act.
 */
public enum RefundStatus {
    SUCCESS,
    FAILED,
    CLOSED
}
