package io.paystream.functions.reconcile;

/**
 * A bill's amount in yuan ({@code "1234567.89"}, {@code "-0.01"}, {@code "0.0"}) to whole fen,
 * exactly, by a scan of its characters: no float ever holds money, and no BigDecimal per field on a
 * file of millions of lines. Decimals past the second must be zeros ({@code "0.27000"} is 27 fen);
 * anything else is refused.
 */
final class Fen {
    private static final long MAX_YUAN = Long.MAX_VALUE / 100 - 1;

    private Fen() {}

    static long parse(String yuan) {
        int n = yuan.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (yuan.charAt(0) == '-' || yuan.charAt(0) == '+')) {
            negative = yuan.charAt(0) == '-';
            i = 1;
        }
        long whole = 0;
        int wholeDigits = 0;
        for (; i < n && yuan.charAt(i) != '.'; i++) {
            whole = whole * 10 + digit(yuan, i);
            if (++wholeDigits > 17 || whole > MAX_YUAN) {
                throw refused(yuan);
            }
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (i < n) { // at the '.'
            for (i++; i < n; i++) {
                int d = digit(yuan, i);
                if (fractionDigits < 2) {
                    fraction = fraction * 10 + d;
                } else if (d != 0) {
                    throw refused(yuan);
                }
                fractionDigits++;
            }
            if (fractionDigits == 0) {
                throw refused(yuan);
            }
        }
        if (wholeDigits == 0 && fractionDigits == 0) {
            throw refused(yuan);
        }
        if (fractionDigits == 1) {
            fraction *= 10;
        }
        long fen = whole * 100 + fraction;
        return negative ? -fen : fen;
    }

    private static int digit(String s, int i) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
            throw refused(s);
        }
        return c - '0';
    }

    private static IllegalArgumentException refused(String yuan) {
        return new IllegalArgumentException("not an amount in yuan: '" + yuan + "'");
    }
}
