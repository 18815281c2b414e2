package io.paystream.channels.bills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BillWritingTest {
    @TempDir
    Path dir;

    @Test
    void aFileAppearsWholeUnderItsNameAndNothingHiddenIsLeft() throws Exception {
        Path target = dir.resolve("WECHAT_2026-12-02.csv");
        BillWriting.writeAtomically(target, "first".getBytes(StandardCharsets.UTF_8));
        BillWriting.writeAtomically(target, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(target)).isEqualTo("second");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("WECHAT_2026-12-02.csv");
        }
    }

    @Test
    void amountsAreExactYuan() {
        assertThat(BillWriting.yuan(1)).isEqualTo("0.01");
        assertThat(BillWriting.yuan(-10)).isEqualTo("-0.10");
        assertThat(BillWriting.yuan(0)).isEqualTo("0.00");
        assertThat(BillWriting.yuan(922_337_203_685_477_580L)).isEqualTo("9223372036854775.80");
        assertThat(BillWriting.fee(83)).as("0.498 fen rounds to 0").isZero();
        assertThat(BillWriting.fee(84)).as("0.504 fen rounds to 1").isEqualTo(1);
        assertThat(BillWriting.time(Instant.parse("2026-12-01T16:00:00Z"))).isEqualTo("2026-12-02 00:00:00");
    }

    @Test
    void entriesRefuseWhatALineCannotCarry() {
        Instant at = Instant.parse("2026-12-02T00:00:00Z");
        assertThatThrownBy(() -> BillEntry.payment("P1,2", "T", 1, "SUCCESS", at))
                .hasMessageContaining("paymentId");
        assertThatThrownBy(() -> BillEntry.payment("P1", "T", 0, "SUCCESS", at)).hasMessageContaining("one fen");
        assertThatThrownBy(() -> BillEntry.refund(null, "P1", "T", null, 1, "SUCCESS", at))
                .hasMessageContaining("refundId");
        assertThatThrownBy(() -> AlipayTradeBillWriter.render(
                        LocalDate.of(2026, 12, 2),
                        java.util.List.of(BillEntry.payment("P1", "T", 1, "REVOKED", at)),
                        false))
                .hasMessageContaining("completed trades and refunds only");
    }
}
