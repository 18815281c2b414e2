package io.paystream.state.reconcile;

import io.paystream.state.shop.PaymentChannel;

/**
 * The totals a bill file states about itself, exactly as stated, in counts and fen. Each channel
 * states a different set, so a figure the file does not state is null (and not checked):
 *
 * <ul>
 *   <li>WeChat Pay: 总交易单数 ({@link #lineCount}), 订单总金额 and 申请退款总金额 ({@link
 *       #paymentAmountFen}, {@link #refundAmountFen}), 应结订单总金额 and 退款总金额 ({@link
 *       #paymentSettledFen}, {@link #refundSettledFen});
 *   <li>Alipay: 交易合计 N笔 and 商家实收共 ({@link #paymentCount}, {@link #paymentSettledFen}),
 *       退款合计 N笔 and 商家实收退款共 ({@link #refundCount}, {@link #refundSettledFen}, as a
 *       magnitude: the bill writes it negative).
 * </ul>
 */
public class BillSummary {
    public PaymentChannel channel;
    public String billDate;
    public String sourceFile;
    /** Where the totals are (the summary row, or Alipay's first total line). */
    public int lineNumber;

    public Long lineCount;
    public Long paymentCount;
    public Long refundCount;
    /** Sum of the payment lines' {@link BillLine#amountFen}. */
    public Long paymentAmountFen;
    /** Sum of the refund lines' {@link BillLine#amountFen}. */
    public Long refundAmountFen;
    /** Sum of the payment lines' {@link BillLine#settledFen}. */
    public Long paymentSettledFen;
    /** Sum of the refund lines' {@link BillLine#settledFen}. */
    public Long refundSettledFen;

    public BillSummary() {}

    @Override
    public String toString() {
        return "BillSummary{" + channel + ' ' + billDate + " lines=" + lineCount + ", payments=" + paymentCount
                + ", refunds=" + refundCount + ", paymentAmountFen=" + paymentAmountFen + ", refundAmountFen="
                + refundAmountFen + ", paymentSettledFen=" + paymentSettledFen + ", refundSettledFen="
                + refundSettledFen + ", at " + sourceFile + ':' + lineNumber + '}';
    }
}
