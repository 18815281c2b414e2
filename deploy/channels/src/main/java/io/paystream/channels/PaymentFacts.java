package io.paystream.channels;

import java.time.Instant;

/**
 * What a channel knows of one payment when it notifies or answers a query.
 *
 * @param paymentId    the merchant's payment id ({@code out_trade_no}, {@code orderId} at UnionPay)
 * @param channelTxnId the channel's own transaction id
 * @param amountCents  the amount the channel charged, in fen
 * @param outcome      SUCCESS, FAILED or CLOSED (queries may also answer NOTPAY or USERPAYING)
 * @param paidAt       when the user paid (null if not paid)
 */
public record PaymentFacts(String paymentId, String channelTxnId, long amountCents, String outcome, Instant paidAt) {
    public PaymentFacts withAmount(long cents) {
        return new PaymentFacts(paymentId, channelTxnId, cents, outcome, paidAt);
    }

    /** Amount as the channels that speak yuan write it: 12.34. */
    public String amountYuan() {
        return java.math.BigDecimal.valueOf(amountCents, 2).toPlainString();
    }
}
