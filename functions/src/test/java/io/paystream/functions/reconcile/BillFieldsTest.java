package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.reconcile.RejectedBillLine;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BillFieldsTest {
    private final List<String> fields = new ArrayList<>();

    @Test
    void fieldsLoseTheChannelsDecorationButKeepEmptyOnes() {
        assertThat(BillFields.split("`a,` b ,`,c\t,,\t", fields)).isTrue();
        assertThat(fields).containsExactly("a", "b", "", "c", "", "");
    }

    @Test
    void aQuotedFieldMayHoldCommasAndQuotes() {
        assertThat(BillFields.split("x,\"Tea, green \"\"sencha\"\"\",y", fields))
                .isTrue();
        assertThat(fields).containsExactly("x", "Tea, green \"sencha\"", "y");
        assertThat(BillFields.split("x,\"never closed", fields)).isFalse();
    }

    @Test
    void billTimesAreBeijingTimeReadToTheSecond() {
        assertThat(BeijingTime.parse("2026-11-30 23:59:59"))
                .isEqualTo(OffsetDateTime.parse("2026-11-30T23:59:59+08:00")
                        .toInstant()
                        .toEpochMilli());
        for (String bad :
                new String[] {"2026-11-31 10:00:00", "2026-11-30T10:00:00", "2026-11-30 24:00:00", "2026-1-30 10:00:00"
                }) {
            assertThatThrownBy(() -> BeijingTime.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRejectedLineBecomesADeadLetterNamingFileAndLine() {
        DeadLetter letter = BillDeadLetters.of(
                new RejectedBillLine("wechat-all-2026-11-30.csv", 3, "not an amount in yuan: '1x'", "`raw"), 42L);

        assertThat(letter.source).isEqualTo("bill:wechat-all-2026-11-30.csv:3");
        assertThat(letter.reason).isEqualTo("not an amount in yuan: '1x'");
        assertThat(letter.raw).isEqualTo("`raw");
        assertThat(letter.timeMs).isEqualTo(42L);
    }
}
