package io.paystream.state.reconcile;

import io.paystream.state.shop.PaymentChannel;
import java.util.Objects;

/**
 * One detail line of a channel's daily trade bill: what the channel says it charged or refunded.
 * Amounts are whole fen, always the magnitude (a refund's amount is positive here whatever sign the
 * bill wrote; the parser checks the bill's sign rule). Also the bill's side of a reconciliation key's
 * state, so it stays flat and a POJO.
 */
public class BillLine {
    public PaymentChannel channel;
    /** The bill's day, {@code yyyy-MM-dd}, Beijing time (the channels cut their days at 00:00 +08:00). */
    public String billDate;

    public BillLineKind kind;
    /** The shop's payment id ({@code out_trade_no}); on a refund line, the payment refunded. */
    public String paymentId;
    /** The shop's refund id ({@code out_refund_no}, Alipay's {@code out_request_no}); null on a payment line. */
    public String refundId;
    /** The channel's transaction id (WeChat Pay 微信订单号, Alipay 支付宝交易号). */
    public String channelTxnId;
    /** The channel's refund id (WeChat Pay 微信退款单号); null on payment lines and where the bill has none (Alipay). */
    public String channelRefundId;

    /** What was paid (the order amount) or what the refund asked back, in fen. */
    public long amountFen;
    /**
     * The amount the bill's own totals add up (WeChat Pay 应结订单金额 or 退款金额, Alipay 商家实收),
     * in fen, magnitude: what the summary check sums. Differs from {@link #amountFen} by the
     * channel's own discounts.
     */
    public long settledFen;

    /** The status words as the bill states them: WeChat Pay 交易状态 (on refunds joined by '/' with 退款状态: {@code REFUND/PROCESSING}); Alipay 业务类型. */
    public String tradeStatus;

    public BillOutcome outcome;
    /** The bill's trade time (payment success, refund accepted or completed), epoch ms. */
    public long tradeTimeMs;

    /** The file the line came from (for a zip: {@code archive!entry}) and its 1-based line number there. */
    public String sourceFile;

    public int lineNumber;

    public BillLine() {}

    /** The shop's id this line is about: the refund id on a refund line, else the payment id. */
    public String shopId() {
        return kind == BillLineKind.REFUND ? refundId : paymentId;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof BillLine)) return false;
        BillLine l = (BillLine) o;
        return amountFen == l.amountFen
                && settledFen == l.settledFen
                && tradeTimeMs == l.tradeTimeMs
                && lineNumber == l.lineNumber
                && channel == l.channel
                && kind == l.kind
                && outcome == l.outcome
                && Objects.equals(billDate, l.billDate)
                && Objects.equals(paymentId, l.paymentId)
                && Objects.equals(refundId, l.refundId)
                && Objects.equals(channelTxnId, l.channelTxnId)
                && Objects.equals(channelRefundId, l.channelRefundId)
                && Objects.equals(tradeStatus, l.tradeStatus)
                && Objects.equals(sourceFile, l.sourceFile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, kind, paymentId, refundId, sourceFile, lineNumber);
    }

    @Override
    public String toString() {
        return "BillLine{" + channel + ' ' + billDate + ' ' + kind + " paymentId=" + paymentId + ", refundId="
                + refundId + ", amountFen=" + amountFen + ", settledFen=" + settledFen + ", status=" + tradeStatus
                + ", outcome=" + outcome + ", at " + sourceFile + ':' + lineNumber + '}';
    }
}
