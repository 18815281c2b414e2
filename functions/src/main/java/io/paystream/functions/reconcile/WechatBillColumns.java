package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.reconcile.BillSummary;
import io.paystream.state.shop.PaymentChannel;
import java.util.List;

/**
 * The columns of a WeChat Pay v3 trade bill ({@code bill_type=ALL}) that reconciliation reads, and
 * how a detail line and the summary row become a {@link BillLine} and a {@link BillSummary}. Every
 * problem is an IllegalArgumentException whose message is the rejected line's reason.
 *
 * <p>Read from WeChat Pay's "交易账单文件格式说明" (see docs/reconcile-formats.md): a payment line has
 * 交易状态 SUCCESS (REVOKED when paid then revoked: it stays on the bill), its 订单金额 and
 * 应结订单金额 (订单金额 less the no-top-up coupons); a refund line has 交易状态 REFUND, the refund
 * columns filled, 申请退款金额 (what the shop asked back) and 退款金额 (what it settles), and 0.00
 * in the payment amounts. Its 退款状态 is a snapshot taken when the refund was accepted and never
 * updated.
 */
final class WechatBillColumns {
    static final String SUMMARY_FIRST_COLUMN = "总交易单数";

    private final BillColumns header;
    private final int tradeTime;
    private final int txnId;
    private final int outTradeNo;
    private final int tradeStatus;
    private final int settled;
    private final int refundId;
    private final int outRefundNo;
    private final int refundSettled;
    private final int refundStatus;
    private final int orderAmount;
    private final int refundAsked;

    private WechatBillColumns(BillColumns header) {
        this.header = header;
        tradeTime = header.find("交易时间");
        txnId = header.find("微信订单号");
        outTradeNo = header.find("商户订单号");
        tradeStatus = header.find("交易状态");
        settled = header.find("应结订单金额");
        refundId = header.find("微信退款单号");
        outRefundNo = header.find("商户退款单号");
        refundSettled = header.find("退款金额");
        refundStatus = header.find("退款状态");
        orderAmount = header.find("订单金额");
        refundAsked = header.find("申请退款金额");
    }

    /** The columns of a detail header; IllegalArgumentException naming the columns it lacks. */
    static WechatBillColumns of(String headerLine) {
        BillColumns header = BillColumns.of(headerLine);
        List<String> missing = header.missing(
                "交易时间", "微信订单号", "商户订单号", "交易状态", "应结订单金额", "微信退款单号", "商户退款单号", "退款金额", "退款状态", "订单金额", "申请退款金额");
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("not a WeChat Pay trade bill header: no column " + missing);
        }
        return new WechatBillColumns(header);
    }

    BillLine line(List<String> f) {
        if (f.size() != header.count()) {
            throw new IllegalArgumentException(f.size() + " fields, the header has " + header.count());
        }
        BillLine line = new BillLine();
        line.channel = PaymentChannel.WECHAT;
        line.paymentId = required(f, outTradeNo, "商户订单号");
        line.channelTxnId = f.get(txnId);
        line.tradeTimeMs = BeijingTime.parse(f.get(tradeTime));
        String status = f.get(tradeStatus);
        if ("REFUND".equals(status)) {
            line.kind = BillLineKind.REFUND;
            line.refundId = required(f, outRefundNo, "商户退款单号");
            line.channelRefundId = f.get(refundId);
            line.amountFen = magnitude(f, refundAsked, "申请退款金额");
            line.settledFen = magnitude(f, refundSettled, "退款金额");
            String refund = f.get(refundStatus);
            line.tradeStatus = status + '/' + refund;
            line.outcome = refundOutcome(refund);
        } else {
            line.kind = BillLineKind.PAYMENT;
            line.amountFen = magnitude(f, orderAmount, "订单金额");
            line.settledFen = magnitude(f, settled, "应结订单金额");
            line.tradeStatus = status;
            line.outcome = paymentOutcome(status);
        }
        return line;
    }

    /** The summary row under its own header line; only the figures the header names are set. */
    static BillSummary summary(String summaryHeader, List<String> f) {
        BillColumns columns = BillColumns.of(summaryHeader);
        if (f.size() != columns.count()) {
            throw new IllegalArgumentException(f.size() + " fields, the summary header has " + columns.count());
        }
        BillSummary s = new BillSummary();
        s.channel = PaymentChannel.WECHAT;
        s.lineCount = count(f, columns.find(SUMMARY_FIRST_COLUMN));
        s.paymentAmountFen = fen(f, columns.find("订单总金额"));
        s.refundAmountFen = fen(f, columns.find("申请退款总金额"));
        s.paymentSettledFen = fen(f, columns.find("应结订单总金额"));
        s.refundSettledFen = fen(f, columns.find("退款总金额"));
        return s;
    }

    private static BillOutcome paymentOutcome(String status) {
        switch (status) {
            case "SUCCESS":
                return BillOutcome.SUCCESS;
            case "REVOKED":
                return BillOutcome.NOT_SUCCESS;
            default:
                throw new IllegalArgumentException("unknown 交易状态 '" + status + "'");
        }
    }

    /**
     * 退款状态: SUCCESS; PROCESSING (accepted, not finished); CLOSED or REFUNDCLOSE (closed), ABNORMAL
     * or CHANGE (the money could not reach the payer and waits for the merchant). The API's refund
     * statuses; that the bill writes the same words is assumed (the format page lists no values).
     */
    private static BillOutcome refundOutcome(String status) {
        switch (status) {
            case "SUCCESS":
                return BillOutcome.SUCCESS;
            case "PROCESSING":
                return BillOutcome.IN_PROGRESS;
            case "CLOSED":
            case "REFUNDCLOSE":
            case "ABNORMAL":
            case "CHANGE":
                return BillOutcome.NOT_SUCCESS;
            default:
                throw new IllegalArgumentException("unknown 退款状态 '" + status + "'");
        }
    }

    /** WeChat Pay writes {@code 0} where an id does not apply (the refund ids of a payment line). */
    private static String required(List<String> f, int column, String name) {
        String value = f.get(column);
        if (value.isEmpty() || "0".equals(value)) {
            throw new IllegalArgumentException("no " + name);
        }
        return value;
    }

    private static long magnitude(List<String> f, int column, String name) {
        long fen = Fen.parse(f.get(column));
        if (fen < 0) {
            throw new IllegalArgumentException("negative " + name + " '" + f.get(column) + "'");
        }
        return fen;
    }

    private static Long fen(List<String> f, int column) {
        return column < 0 ? null : Fen.parse(f.get(column));
    }

    private static Long count(List<String> f, int column) {
        if (column < 0) {
            return null;
        }
        try {
            return Long.parseLong(f.get(column));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a count: '" + f.get(column) + "'");
        }
    }
}
