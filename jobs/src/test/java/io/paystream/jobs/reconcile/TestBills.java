package io.paystream.jobs.reconcile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Bills in the channels' published formats (docs/reconcile-formats.md), built line by line for the
 * reconciliation tests, and put into the bills directory as a channel's download would be: written
 * under a hidden name, then renamed.
 */
final class TestBills {
    private static final Charset GBK = Charset.forName("GBK");
    private static final String WECHAT_HEADER = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
            + "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    private static final String ALIPAY_HEADER = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,"
            + "商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";

    private TestBills() {}

    /** A WeChat Pay v3 trade bill (bill_type=ALL) being built. */
    static final class Wechat {
        private final List<String> lines = new ArrayList<>();
        private long payments;
        private long refunds;
        private String extraLine;
        private long statedSettledDelta;

        /** A paid order: {@code time} Beijing {@code yyyy-MM-dd HH:mm:ss}, {@code status} SUCCESS or REVOKED. */
        Wechat paid(String time, String paymentId, String txnId, String yuan, String status) {
            lines.add(String.join(
                    ",",
                    tick(
                            time,
                            "wx2421b1c4370ec43b",
                            "1900000109",
                            "0",
                            "",
                            txnId,
                            paymentId,
                            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                            "JSAPI",
                            status,
                            "OTHERS",
                            "CNY",
                            yuan,
                            "0.00",
                            "0",
                            "0",
                            "0.00",
                            "0.00",
                            "",
                            "",
                            "goods",
                            "",
                            "0.00000",
                            "0.60%",
                            yuan,
                            "0.00",
                            "")));
            payments += fen(yuan);
            return this;
        }

        Wechat refunded(String time, String paymentId, String txnId, String refundId, String yuan) {
            lines.add(String.join(
                    ",",
                    tick(
                            time,
                            "wx2421b1c4370ec43b",
                            "1900000109",
                            "0",
                            "",
                            txnId,
                            paymentId,
                            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                            "JSAPI",
                            "REFUND",
                            "OTHERS",
                            "CNY",
                            "0.00",
                            "0.00",
                            "5030" + refundId,
                            refundId,
                            yuan,
                            "0.00",
                            "ORIGINAL",
                            "SUCCESS",
                            "goods",
                            "",
                            "0.00000",
                            "0.60%",
                            "0.00",
                            yuan,
                            "")));
            refunds += fen(yuan);
            return this;
        }

        /** A line that is no bill line at all (counted by nobody). */
        Wechat garbled(String text) {
            extraLine = text;
            return this;
        }

        /** The summary states a settled total this many fen off its lines'. */
        Wechat statesSettledTotalOffBy(long fen) {
            statedSettledDelta = fen;
            return this;
        }

        void writeTo(Path dir, String day) throws IOException {
            StringBuilder b = new StringBuilder(WECHAT_HEADER).append('\n');
            for (String l : lines) {
                b.append(l).append('\n');
            }
            if (extraLine != null) {
                b.append(extraLine).append('\n');
            }
            b.append("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n");
            b.append(String.join(
                            ",",
                            tick(
                                    String.valueOf(lines.size()),
                                    yuan(payments + statedSettledDelta),
                                    yuan(refunds),
                                    "0.00",
                                    "0.00000",
                                    yuan(payments),
                                    yuan(refunds))))
                    .append('\n');
            put(dir, "WECHAT_" + day + ".csv", b.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An Alipay trade bill (a zip of GBK CSVs) being built. */
    static final class Alipay {
        private final List<String> lines = new ArrayList<>();
        private long payments;
        private int paymentCount;

        Alipay paid(String time, String paymentId, String txnId, String yuan) {
            lines.add(String.join(
                    ",",
                    txnId + "\t",
                    paymentId + "\t",
                    "交易\t",
                    "goods",
                    time,
                    time,
                    "\t",
                    "\t",
                    "\t",
                    "\t",
                    "*津水(602***@qq.com)\t",
                    yuan,
                    yuan,
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "",
                    "0.00\t",
                    "0.00",
                    "\t",
                    "0.00",
                    "0.00",
                    ""));
            payments += fen(yuan);
            paymentCount++;
            return this;
        }

        void writeTo(Path dir, String day) throws IOException {
            StringBuilder b = new StringBuilder();
            b.append("#支付宝业务明细查询\n#账号：[20881234567890120156]\n");
            b.append("#-----------------------------------------业务明细列表----------------------------------------\n");
            b.append(ALIPAY_HEADER).append('\n');
            for (String l : lines) {
                b.append(l).append('\n');
            }
            b.append("#-----------------------------------------业务明细列表结束------------------------------------\n");
            b.append("#交易合计：")
                    .append(paymentCount)
                    .append("笔，商家实收共")
                    .append(yuan(payments))
                    .append("元，商家优惠共0.00元\n");
            b.append("#退款合计：0笔，商家实收退款共0.00元，商家优惠退款共0.00元\n");
            b.append("#导出时间：[2026年12月01日 05:46:49]\n");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            String compact = day.replace("-", "");
            try (ZipOutputStream zip = new ZipOutputStream(bytes, GBK)) {
                zip.putNextEntry(new ZipEntry("20881234567890120156_" + compact + "_业务明细.csv"));
                zip.write(b.toString().getBytes(GBK));
                zip.closeEntry();
            }
            put(dir, "ALIPAY_" + day + ".zip", bytes.toByteArray());
        }
    }

    /** Writes a bill as a download would arrive: under a hidden name, then renamed. */
    static void put(Path dir, String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        Path hidden = dir.resolve("." + name + ".part");
        Files.write(hidden, content);
        Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String[] tick(String... fields) {
        String[] out = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            out[i] = "`" + fields[i];
        }
        return out;
    }

    private static long fen(String yuan) {
        return new BigDecimal(yuan).movePointRight(2).longValueExact();
    }

    private static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }
}
