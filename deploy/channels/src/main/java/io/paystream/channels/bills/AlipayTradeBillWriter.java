package io.paystream.channels.bills;

import io.paystream.state.reconcile.BillLineKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes Alipay's trade bill download ({@code bill_type=trade}) as the simulated Alipay does, in the
 * format {@code functions/.../reconcile/AlipayTradeBillParser} reads (docs/reconcile-formats.md): a
 * zip of GBK CSV files, entry names in GBK too. The detail file {@code <account>_<yyyyMMdd>_业务明细.csv}
 * has its {@code #} title lines, the header, one 交易 line per payment and one 退款 line per refund
 * (amounts negative, 退款批次号/请求号 naming the refund, the payment's 支付宝交易号 and 商户订单号),
 * values followed by a tab where Alipay puts one, then the end rule, {@code #交易合计：N笔，商家实收共X元，…},
 * {@code #退款合计：N笔，商家实收退款共-X元，…} and {@code #导出时间：[…]}. The summary file
 * {@code …_业务明细(汇总).csv} states the same counts and totals per store (the parser does not read it;
 * its columns are the sandbox's guess). Lines are written in the order given.
 *
 * <p>Alipay's detail file lists completed trades and refunds only: an entry whose status is not
 * SUCCESS is refused. With {@code wrongTotal} the 交易合计 line states 商家实收 {@link #WRONG_TOTAL_FEN}
 * fen more than the lines add up to (reconciliation reports figure {@code paymentSettledFen}).
 */
public final class AlipayTradeBillWriter {
    public static final Charset GBK = Charset.forName("GBK");
    public static final String DETAIL_HEADER = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,"
            + "订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,"
            + "商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";
    /** How much the 交易合计's 商家实收 is off when asked to state a wrong total. */
    public static final long WRONG_TOTAL_FEN = 100;
    /** The simulated merchant's Alipay account (the zip's entries are named after it). */
    public static final String ACCOUNT = "20881234567890120156";

    private static final String CRLF = "\r\n";
    private static final String RULE = "#-----------------------------------------";
    private static final DateTimeFormatter CHINESE_DATE = DateTimeFormatter.ofPattern("yyyy年MM月dd日");
    private static final DateTimeFormatter CHINESE_TIME = DateTimeFormatter.ofPattern("yyyy年MM月dd日 HH:mm:ss");

    private AlipayTradeBillWriter() {}

    /** The detail file's entry name in the zip. */
    public static String detailEntry(LocalDate date) {
        return ACCOUNT + "_" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "_业务明细.csv";
    }

    /** The summary file's entry name in the zip. */
    public static String summaryEntry(LocalDate date) {
        return ACCOUNT + "_" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "_业务明细(汇总).csv";
    }

    /** Writes the bill zip of {@code date} to {@code file} atomically (see {@link BillFiles#writeAtomically}). */
    public static void write(Path file, LocalDate date, List<BillEntry> entries, boolean wrongTotal)
            throws IOException {
        BillWriting.writeAtomically(file, render(date, entries, wrongTotal));
    }

    /** The zip's bytes. */
    public static byte[] render(LocalDate date, List<BillEntry> entries, boolean wrongTotal) {
        long trades = 0;
        long received = 0;
        long refunds = 0;
        long refunded = 0;
        StringBuilder lines = new StringBuilder(entries.size() * 220);
        for (BillEntry e : entries) {
            if (!"SUCCESS".equals(e.status())) {
                throw new IllegalArgumentException("Alipay's bill lists completed trades and refunds only, not "
                        + e.kind() + " " + e.shopId() + " " + e.status());
            }
            boolean refund = e.kind() == BillLineKind.REFUND;
            long signed = refund ? -e.amountFen() : e.amountFen();
            long fee = BillWriting.fee(e.amountFen());
            if (refund) {
                refunds++;
                refunded += e.amountFen();
            } else {
                trades++;
                received += e.amountFen();
            }
            String time = BillWriting.time(e.tradeTime());
            String amount = BillWriting.yuan(signed);
            lines.append(e.channelTxnId())
                    .append("\t,")
                    .append(e.paymentId())
                    .append("\t,")
                    .append(refund ? "退款" : "交易")
                    .append("\t,sandbox order,")
                    .append(time) // 创建时间: the sandbox's channel keeps no earlier time of a line
                    .append(',')
                    .append(time)
                    .append(",\t,\t,\t,\t,*沙(sandbox***@example.com)\t,")
                    .append(amount) // 订单金额（元）
                    .append(',')
                    .append(amount) // 商家实收（元）: no discounts in the sandbox
                    .append(",0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,")
                    .append(refund ? e.refundId() : "")
                    .append("\t,")
                    .append(BillWriting.yuan(refund ? fee : -fee)) // 服务费（元）
                    .append(",0.00,")
                    .append(CRLF);
        }
        long statedReceived = received + (wrongTotal ? WRONG_TOTAL_FEN : 0);
        String exported = CHINESE_TIME.format(LocalDateTime.of(date.plusDays(1), java.time.LocalTime.of(9, 0)));

        StringBuilder detail = new StringBuilder(lines.length() + 1024);
        detail.append("#支付宝业务明细查询").append(CRLF);
        detail.append("#账号：[").append(ACCOUNT).append(']').append(CRLF);
        detail.append("#起始日期：[")
                .append(CHINESE_DATE.format(date))
                .append(" 00:00:00]   终止日期：[")
                .append(CHINESE_DATE.format(date.plusDays(1)))
                .append(" 00:00:00]")
                .append(CRLF);
        detail.append(RULE)
                .append("业务明细列表----------------------------------------")
                .append(CRLF);
        detail.append(DETAIL_HEADER).append(CRLF);
        detail.append(lines);
        detail.append(RULE)
                .append("业务明细列表结束------------------------------------")
                .append(CRLF);
        detail.append("#交易合计：")
                .append(trades)
                .append("笔，商家实收共")
                .append(BillWriting.yuan(statedReceived))
                .append("元，商家优惠共0.00元")
                .append(CRLF);
        detail.append("#退款合计：")
                .append(refunds)
                .append("笔，商家实收退款共")
                .append(BillWriting.yuan(-refunded))
                .append("元，商家优惠退款共0.00元")
                .append(CRLF);
        detail.append("#导出时间：[").append(exported).append(']').append(CRLF);

        StringBuilder summary = new StringBuilder(512);
        summary.append("#支付宝业务汇总查询").append(CRLF);
        summary.append("#账号：[").append(ACCOUNT).append(']').append(CRLF);
        summary.append("#起始日期：[")
                .append(CHINESE_DATE.format(date))
                .append(" 00:00:00]   终止日期：[")
                .append(CHINESE_DATE.format(date.plusDays(1)))
                .append(" 00:00:00]")
                .append(CRLF);
        summary.append(RULE)
                .append("业务汇总列表----------------------------------------")
                .append(CRLF);
        summary.append("门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）")
                .append(CRLF);
        summary.append(",合计,")
                .append(trades)
                .append(',')
                .append(refunds)
                .append(',')
                .append(BillWriting.yuan(received - refunded))
                .append(',')
                .append(BillWriting.yuan(statedReceived - refunded))
                .append(",0.00,0.00,0.00,0.00,0.00,")
                .append(BillWriting.yuan(statedReceived - refunded))
                .append(CRLF);
        summary.append(RULE)
                .append("业务汇总列表结束------------------------------------")
                .append(CRLF);
        summary.append("#导出时间：[").append(exported).append(']').append(CRLF);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(detail.length() * 2 + 1024);
        try (ZipOutputStream zip = new ZipOutputStream(bytes, GBK)) {
            entry(zip, detailEntry(date), detail);
            entry(zip, summaryEntry(date), summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: never
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, CharSequence text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.toString().getBytes(GBK));
        zip.closeEntry();
    }
}
