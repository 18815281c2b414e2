package io.paystream.queryworker;

/**
 * What a channel answered about a payment, mapped to the contract's {@code status}: SUCCESS, FAILED,
 * CLOSED, NOTPAY or USERPAYING; amount in fen (null when the channel has no order), paidAt for
 * SUCCESS.
 */
record ChannelAnswer(String status, String channelTxnId, Long amountCents, Long paidAtMs, long queriedAtMs) {}
