package io.paystream.functions.reconcile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The bill fixtures of {@code src/test/resources/bills/}, and bills built from them. */
final class Bills {
    static final String WECHAT = "wechat-all-2026-11-30.csv";
    static final String ALIPAY_DETAIL = "alipay-detail-2026-11-30.csv";
    static final String DAY = "2026-11-30";
    static final Charset GBK = Charset.forName("GBK");

    private Bills() {}

    static String text(String fixture) {
        try (InputStream in = Bills.class.getResourceAsStream("/bills/" + fixture)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedBill wechat(String text) {
        return wechat(text.getBytes(StandardCharsets.UTF_8));
    }

    static ParsedBill wechat(byte[] bytes) {
        ParsedBill bill = new ParsedBill();
        try {
            WechatTradeBillParser.parse(new ByteArrayInputStream(bytes), DAY, WECHAT, bill);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bill;
    }

    /** A zip as Alipay sends it: every entry's name and text in GBK. */
    static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, GBK)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(GBK));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ParsedBill alipay(byte[] zip) {
        ParsedBill bill = new ParsedBill();
        try {
            AlipayTradeBillParser.parse(
                    new ByteArrayInputStream(zip), DAY, "20881234567890120156_20261130.csv.zip", bill);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bill;
    }

    /** The text with its {@code number}th line (1-based) replaced. */
    static String withLine(String text, int number, java.util.function.UnaryOperator<String> change) {
        String[] lines = text.split("\n", -1);
        lines[number - 1] = change.apply(lines[number - 1]);
        return String.join("\n", lines);
    }
}
