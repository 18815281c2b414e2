package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormsTest {
    @Test
    void singleFindsOneParameterWithoutParsingTheRest() {
        assertThat(Forms.single("a=1&out_trade_no=P%2D1&b=2", "out_trade_no")).isEqualTo("P-1");
        assertThat(Forms.single("out_trade_no=P1", "out_trade_no")).isEqualTo("P1");
        assertThat(Forms.single("x_out_trade_no=P1&out_trade_no_x=P2", "out_trade_no"))
                .isNull();
        assertThat(Forms.single("out_trade_no=P1&out_trade_no=P2", "out_trade_no"))
                .as("repeated: ambiguous")
                .isNull();
        assertThat(Forms.single("out_trade_no=&a=1", "out_trade_no")).isNull();
        assertThat(Forms.single("out_trade_no", "out_trade_no")).isNull();
        assertThat(Forms.single("out_trade_no=%zz", "out_trade_no")).isNull();
        assertThat(Forms.single("", "out_trade_no")).isNull();
        assertThat(Forms.single("&&a=1&", "a")).isEqualTo("1");
    }
}
