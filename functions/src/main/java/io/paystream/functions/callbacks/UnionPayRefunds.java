package io.paystream.functions.callbacks;

import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentChannel;
import java.util.Map;

/**
 * UnionPay refund (退货) back notifications: the same signed form as a payment's, with
 * {@code txnType=04}; {@code orderId} is the refund's own order number (the shop's refund id, not
 * the payment's), {@code origQryId} the refunded payment's {@code queryId}, {@code queryId} the
 * refund's, {@code txnAmt} the refund in fen, {@code respCode=00} success. The notification does not
 * name the payment's orderId: the refund row does. Format as the ACP demos publish it:
 * hectorqin/lpays src/libs/upacp_apple_pay/demo/api_05_app/Form_6_4_Refund.php (txnType 04,
 * txnSubType 00, orderId "不同于原消费", origQryId "原消费的queryId") and a gateway answer sample
 * {@code orderId=...&origQryId=...&queryId=...&respCode=00&txnAmt=1&txnType=04&version=5.1.0}
 * (found by search in the code corpus).
 */
final class UnionPayRefunds {
    static final String REFUND_TXN_TYPE = "04";

    private UnionPayRefunds() {}

    static boolean isRefund(Map<String, String> p) {
        return REFUND_TXN_TYPE.equals(p.get("txnType"));
    }

    static RefundNotification notification(Map<String, String> p, Envelope e) {
        RefundNotification n = new RefundNotification();
        n.refundId = Forms.required(p, "orderId");
        n.channel = PaymentChannel.UNIONPAY;
        n.channelRefundId = p.get("queryId");
        n.paymentChannelTxnId = Forms.required(p, "origQryId");
        try {
            n.refundAmountCents = Long.parseLong(Forms.required(p, "txnAmt"));
            if (n.refundAmountCents < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("txnAmt '" + p.get("txnAmt") + "' is not an amount in fen");
        }
        n.status = "00".equals(Forms.required(p, "respCode")) ? RefundStatus.SUCCESS : RefundStatus.FAILED;
        String txnTime = p.get("txnTime");
        n.refundedAt = n.status == RefundStatus.SUCCESS && txnTime != null && !txnTime.isEmpty()
                ? Forms.unionpayTime(txnTime)
                : 0;
        n.source = RefundNotification.CALLBACK;
        n.notifyId = e.notifyId;
        n.receivedAt = e.receivedAt;
        return n;
    }
}
