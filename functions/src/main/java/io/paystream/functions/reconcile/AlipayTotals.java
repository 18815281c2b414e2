package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillSummary;

/**
 * The totals Alipay writes as {@code #} lines after the detail list of a 业务明细 file, with
 * full-width punctuation:
 *
 * <pre>
 * #交易合计：6笔，商家实收共0.06元，商家优惠共0.00元
 * #退款合计：4笔，商家实收退款共-0.04元，商家优惠退款共0.00元
 * </pre>
 *
 * The refund total is negative, as the refund lines are; it is kept as a magnitude.
 */
final class AlipayTotals {
    private AlipayTotals() {}

    /** Reads a totals line into {@code s}; false when the line is another comment. */
    static boolean read(String line, BillSummary s) {
        int start = 0;
        while (start < line.length() && line.charAt(start) == '#') {
            start++;
        }
        if (line.startsWith("交易合计", start)) {
            s.paymentCount = count(line);
            s.paymentSettledFen = amount(line, "商家实收共");
            if (s.paymentSettledFen < 0) {
                throw new IllegalArgumentException("a negative 交易合计");
            }
            return true;
        }
        if (line.startsWith("退款合计", start)) {
            s.refundCount = count(line);
            long refunded = amount(line, "商家实收退款共");
            if (refunded > 0) {
                throw new IllegalArgumentException("a positive 退款合计");
            }
            s.refundSettledFen = -refunded;
            return true;
        }
        return false;
    }

    private static long count(String line) {
        int colon = Math.max(line.indexOf('：'), line.indexOf(':'));
        int end = line.indexOf('笔', colon + 1);
        if (colon < 0 || end < 0) {
            throw new IllegalArgumentException("no count (：N笔) in a totals line");
        }
        try {
            return Long.parseLong(line.substring(colon + 1, end).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a count: '" + line.substring(colon + 1, end) + "'");
        }
    }

    private static long amount(String line, String label) {
        int at = line.indexOf(label);
        int end = at < 0 ? -1 : line.indexOf('元', at + label.length());
        if (end < 0) {
            throw new IllegalArgumentException("no " + label + "…元 in a totals line");
        }
        return Fen.parse(line.substring(at + label.length(), end).trim());
    }
}
