package io.paystream.state.contract;

import java.math.BigDecimal;

/** Minor units (fen) to the exact decimal string of the contract, and back. */
public final class Money {
    private Money() {}

    public static String yuan(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    /** An exact decimal with at most two places to fen; anything else is refused. */
    public static long cents(String yuan) {
        try {
            return new BigDecimal(yuan)
                    .movePointRight(2)
                    .setScale(0, java.math.RoundingMode.UNNECESSARY)
                    .longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("not an amount in yuan with at most two decimals: '" + yuan + "'");
        }
    }
}
