package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FenTest {
    @Test
    void yuanBecomeWholeFenExactly() {
        assertThat(Fen.parse("0.10")).isEqualTo(10);
        assertThat(Fen.parse("0.01")).isEqualTo(1);
        assertThat(Fen.parse("1234567.89")).isEqualTo(123_456_789);
        assertThat(Fen.parse("0.0")).isZero();
        assertThat(Fen.parse("12")).isEqualTo(1200);
        assertThat(Fen.parse("-100.00")).isEqualTo(-10_000);
        assertThat(Fen.parse("0.27000")).as("fee columns carry five places").isEqualTo(27);
        assertThat(Fen.parse("92233720368547757.00")).isEqualTo(9_223_372_036_854_775_700L);
    }

    @Test
    void anythingButAnAmountToTheFenIsRefused() {
        for (String bad : new String[] {
            "", "-", "1.", "1.234", "12.3x", "1,00", "1e2", " 1.00", "--1", "0.001", "99999999999999999999"
        }) {
            assertThatThrownBy(() -> Fen.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
