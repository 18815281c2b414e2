package io.paystream.jobs.reconcile;

import io.paystream.channels.bills.AlipayTradeBillWriter;
import io.paystream.channels.bills.BillEntry;
import io.paystream.channels.bills.BillWriting;
import io.paystream.channels.bills.WechatTradeBillWriter;
import io.paystream.state.reconcile.BillFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Bills for the reconciliation tests, written by the simulated channels' own writers (in the
 * channels' published formats) and put into the bills directory as a download would arrive:
 * under a hidden name, then renamed.
 */
final class TestBills {
    private TestBills() {}

    /** A WeChat Pay v3 trade bill (bill_type=ALL) being built. */
    static final class Wechat {
        private final List<BillEntry> entries = new ArrayList<>();
        private String garbled;
        private boolean wrongTotal;

        /** A paid order: {@code time} Beijing {@code yyyy-MM-dd HH:mm:ss}, {@code status} SUCCESS or REVOKED. */
        Wechat paid(String time, String paymentId, String txnId, String yuan, String status) {
            entries.add(BillEntry.payment(paymentId, txnId, fen(yuan), status, beijing(time)));
            return this;
        }

        Wechat refunded(String time, String paymentId, String txnId, String refundId, String yuan) {
            entries.add(BillEntry.refund(
                    refundId, paymentId, txnId, "5030" + refundId, fen(yuan), "SUCCESS", beijing(time)));
            return this;
        }

        /** A line that is no bill line at all, just before the summary (counted by nobody). */
        Wechat garbled(String text) {
            garbled = text;
            return this;
        }

        /** The summary states the settled total 1.00 yuan high (WechatTradeBillWriter.WRONG_TOTAL_FEN). */
        Wechat statesAWrongTotal() {
            wrongTotal = true;
            return this;
        }

        void writeTo(Path dir, String day) throws IOException {
            LocalDate date = LocalDate.parse(day);
            String text = new String(WechatTradeBillWriter.render(date, entries, wrongTotal), StandardCharsets.UTF_8);
            if (garbled != null) {
                int summary = text.indexOf(WechatTradeBillWriter.SUMMARY_HEADER);
                text = text.substring(0, summary) + garbled + "\n" + text.substring(summary);
            }
            BillWriting.writeAtomically(
                    dir.resolve(BillFiles.name(io.paystream.state.shop.PaymentChannel.WECHAT, date)),
                    text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An Alipay trade bill (a zip of GBK CSVs) being built. */
    static final class Alipay {
        private final List<BillEntry> entries = new ArrayList<>();

        Alipay paid(String time, String paymentId, String txnId, String yuan) {
            entries.add(BillEntry.payment(paymentId, txnId, fen(yuan), "SUCCESS", beijing(time)));
            return this;
        }

        void writeTo(Path dir, String day) throws IOException {
            LocalDate date = LocalDate.parse(day);
            BillWriting.writeAtomically(
                    dir.resolve(BillFiles.name(io.paystream.state.shop.PaymentChannel.ALIPAY, date)),
                    AlipayTradeBillWriter.render(date, entries, false));
        }
    }

    private static Instant beijing(String time) {
        return LocalDateTime.parse(time.replace(' ', 'T')).toInstant(ZoneOffset.ofHours(8));
    }

    private static long fen(String yuan) {
        return new BigDecimal(yuan).movePointRight(2).longValueExact();
    }
}
