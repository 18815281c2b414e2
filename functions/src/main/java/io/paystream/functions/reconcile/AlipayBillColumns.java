package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.shop.PaymentChannel;
import java.util.List;

/**
 * The columns of Alipay's trade bill detail file ({@code bill_type=trade}, the 业务明细 CSV) that
 * reconciliation reads, and how a detail line becomes a {@link BillLine}. Every problem is an
 * IllegalArgumentException whose message is the rejected line's reason.
 *
 * <p>Sign rule: Alipay writes a 交易 line's amounts positive and a 退款 line's negative (both
 * 订单金额（元） and 商家实收（元）); a line with the other sign is rejected, and the line keeps the
 * magnitude. A refund line carries the refunded payment's 支付宝交易号 and 商户订单号 and the refund's
 * 退款批次号/请求号 ({@code out_request_no}); Alipay gives a refund no id of its own in this file.
 * The file lists only completed trades and refunds (assumed from the bill's description: "交易收单的
 * 业务账单"), so every line's outcome is SUCCESS.
 */
final class AlipayBillColumns {
    static final String TRADE = "交易";
    static final String REFUND = "退款";

    private final BillColumns header;
    private final int tradeNo;
    private final int outTradeNo;
    private final int businessType;
    private final int finishedAt;
    private final int orderAmount;
    private final int received;
    private final int refundRequestNo;

    private AlipayBillColumns(BillColumns header) {
        this.header = header;
        tradeNo = header.find("支付宝交易号");
        outTradeNo = header.find("商户订单号");
        businessType = header.find("业务类型");
        finishedAt = header.find("完成时间");
        orderAmount = header.find("订单金额（元）");
        received = header.find("商家实收（元）");
        refundRequestNo = header.find("退款批次号/请求号");
    }

    static AlipayBillColumns of(String headerLine) {
        BillColumns header = BillColumns.of(headerLine);
        List<String> missing = header.missing("支付宝交易号", "商户订单号", "业务类型", "完成时间", "订单金额（元）", "商家实收（元）", "退款批次号/请求号");
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("not an Alipay trade bill header: no column " + missing);
        }
        return new AlipayBillColumns(header);
    }

    BillLine line(List<String> f) {
        if (f.size() != header.count()) {
            throw new IllegalArgumentException(f.size() + " fields, the header has " + header.count());
        }
        BillLine line = new BillLine();
        line.channel = PaymentChannel.ALIPAY;
        line.channelTxnId = f.get(tradeNo);
        line.paymentId = f.get(outTradeNo);
        if (line.paymentId.isEmpty()) {
            throw new IllegalArgumentException("no 商户订单号");
        }
        line.tradeTimeMs = BeijingTime.parse(f.get(finishedAt));
        line.tradeStatus = f.get(businessType);
        line.outcome = BillOutcome.SUCCESS;
        long amount = Fen.parse(f.get(orderAmount));
        long settled = Fen.parse(f.get(received));
        if (TRADE.equals(line.tradeStatus)) {
            line.kind = BillLineKind.PAYMENT;
            if (amount < 0 || settled < 0) {
                throw new IllegalArgumentException("a 交易 line with a negative amount");
            }
        } else if (REFUND.equals(line.tradeStatus)) {
            line.kind = BillLineKind.REFUND;
            if (amount > 0 || settled > 0) {
                throw new IllegalArgumentException("a 退款 line with a positive amount");
            }
            // Alipay's refund query documents out_request_no as the trade's out_trade_no when the
            // refund request gave none, so an empty one names the payment itself.
            String requestNo = f.get(refundRequestNo);
            line.refundId = requestNo.isEmpty() ? line.paymentId : requestNo;
        } else {
            throw new IllegalArgumentException("业务类型 '" + line.tradeStatus + "' is neither 交易 nor 退款");
        }
        line.amountFen = Math.abs(amount);
        line.settledFen = Math.abs(settled);
        return line;
    }
}
