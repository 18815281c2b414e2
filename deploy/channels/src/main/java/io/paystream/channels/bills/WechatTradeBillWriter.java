package io.paystream.channels.bills;

import io.paystream.state.reconcile.BillLineKind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes a WeChat Pay v3 trade bill ({@code GET /v3/bill/tradebill}, {@code bill_type=ALL}) as the
 * simulated WeChat Pay does, in the format {@code functions/.../reconcile/WechatTradeBillParser}
 * reads (docs/reconcile-formats.md): the ALL detail header, one line per payment (交易状态 SUCCESS or
 * REVOKED) and per refund (交易状态 REFUND, the refund columns filled, 退款状态 as accepted, 0.00 in
 * the payment amounts), every field prefixed with a backtick, then the summary header and its row.
 * UTF-8, CRLF. Lines are written in the order given.
 *
 * <p>The summary row: 总交易单数 counts every line; 应结订单总金额 and 订单总金额 sum the payment lines
 * (revoked ones too), 退款总金额 and 申请退款总金额 the refund lines; 手续费总金额 the fees (0.6 %,
 * negative on refunds). With {@code wrongTotal} the row states 应结订单总金额 {@link #WRONG_TOTAL_FEN}
 * fen more than the lines add up to (reconciliation reports it as figure {@code paymentSettledFen}).
 */
public final class WechatTradeBillWriter {
    public static final String DETAIL_HEADER = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
            + "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    public static final String SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
    /** How much the summary's 应结订单总金额 is off when asked to state a wrong total. */
    public static final long WRONG_TOTAL_FEN = 100;

    static final String APP_ID = "wx2421b1c4370ec43b";
    static final String MCH_ID = "1900000109";
    private static final String CRLF = "\r\n";

    private WechatTradeBillWriter() {}

    /** Writes the bill of {@code date} to {@code file} atomically (see {@link BillFiles#writeAtomically}). */
    public static void write(Path file, LocalDate date, List<BillEntry> entries, boolean wrongTotal)
            throws IOException {
        BillWriting.writeAtomically(file, render(date, entries, wrongTotal));
    }

    /** The bill's bytes. */
    public static byte[] render(LocalDate date, List<BillEntry> entries, boolean wrongTotal) {
        StringBuilder b = new StringBuilder(256 + entries.size() * 320);
        b.append(DETAIL_HEADER).append(CRLF);
        long ordered = 0;
        long refundAsked = 0;
        long fees = 0;
        for (BillEntry e : entries) {
            boolean refund = e.kind() == BillLineKind.REFUND;
            long fee = refund ? -BillWriting.fee(e.amountFen()) : BillWriting.fee(e.amountFen());
            fees += fee;
            if (refund) {
                refundAsked += e.amountFen();
            } else {
                ordered += e.amountFen();
            }
            String amount = BillWriting.yuan(e.amountFen());
            fields(
                    b,
                    BillWriting.time(e.tradeTime()),
                    APP_ID,
                    MCH_ID,
                    "0",
                    "",
                    e.channelTxnId(),
                    e.paymentId(),
                    "oSandbox" + Integer.toHexString(e.paymentId().hashCode()),
                    "NATIVE",
                    refund ? "REFUND" : paymentStatus(e.status()),
                    "OTHERS",
                    "CNY",
                    refund ? "0.00" : amount, // 应结订单金额: no coupons in the sandbox
                    "0.00",
                    refund ? nonEmpty(e.channelRefundId(), "50300" + e.refundId()) : "0",
                    refund ? e.refundId() : "0",
                    refund ? amount : "0.00", // 退款金额
                    "0.00",
                    refund ? "ORIGINAL" : "",
                    refund ? refundStatus(e.status()) : "",
                    "sandbox order",
                    "",
                    feeText(fee),
                    "0.60%",
                    refund ? "0.00" : amount, // 订单金额
                    refund ? amount : "0.00", // 申请退款金额
                    "");
        }
        b.append(SUMMARY_HEADER).append(CRLF);
        long statedSettled = ordered + (wrongTotal ? WRONG_TOTAL_FEN : 0);
        fields(
                b,
                String.valueOf(entries.size()),
                BillWriting.yuan(statedSettled),
                BillWriting.yuan(refundAsked),
                "0.00",
                feeText(fees),
                BillWriting.yuan(ordered),
                BillWriting.yuan(refundAsked));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void fields(StringBuilder b, String... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('`').append(values[i]);
        }
        b.append(CRLF);
    }

    private static String paymentStatus(String status) {
        if (!"SUCCESS".equals(status) && !"REVOKED".equals(status)) {
            throw new IllegalArgumentException("a WeChat Pay bill's payment is SUCCESS or REVOKED, not " + status);
        }
        return status;
    }

    private static String refundStatus(String status) {
        switch (status) {
            case "SUCCESS":
            case "PROCESSING":
            case "CLOSED":
            case "ABNORMAL":
                return status;
            default:
                throw new IllegalArgumentException(
                        "a WeChat Pay bill's refund is SUCCESS, PROCESSING, CLOSED or ABNORMAL, not " + status);
        }
    }

    /** Fees have five decimals on WeChat Pay's bills: {@code 0.60000}, {@code -0.27000}. */
    private static String feeText(long fen) {
        return BigDecimal.valueOf(fen, 2).setScale(5).toPlainString();
    }

    private static String nonEmpty(String value, String otherwise) {
        return value == null || value.isEmpty() ? otherwise : value;
    }
}
