package io.paystream.queryworker;

/**
 * What a channel answered, mapped to the contract's {@code status}. About a payment: SUCCESS,
 * FAILED, CLOSED, NOTPAY or USERPAYING; amount in fen (null when the channel has no order), paidAt
 * for SUCCESS. About a refund: SUCCESS, FAILED, CLOSED or PROCESSING; {@code channelTxnId} is the
 * channel's refund id, the amount the refund's (null when the channel states none), {@code
 * paidAtMs} when the refund succeeded.
 */
record ChannelAnswer(String status, String channelTxnId, Long amountCents, Long paidAtMs, long queriedAtMs) {}
