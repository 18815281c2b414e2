package io.paystream.channels.bills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillCalendarTest {
    /** 23:59:30 in Beijing: day 0 is dated 2026-12-02 though most of it falls on the 3rd there. */
    private static final Instant START = Instant.parse("2026-12-02T15:59:30Z");

    private final BillCalendar minute = new BillCalendar(START, Duration.ofSeconds(60));

    @Test
    void dayZeroIsDatedByItsStartInBeijingAndEachDayAddsADate() {
        assertThat(minute.firstDate()).isEqualTo(LocalDate.of(2026, 12, 2));
        assertThat(minute.date(0)).isEqualTo(LocalDate.of(2026, 12, 2));
        assertThat(minute.date(1)).isEqualTo(LocalDate.of(2026, 12, 3));
        assertThat(minute.date(30)).isEqualTo(LocalDate.of(2027, 1, 1));
        assertThat(minute.dayOf(LocalDate.of(2027, 1, 1))).isEqualTo(30);
        // 16:30 UTC on 2026-12-01 is 00:30 on the 2nd in Beijing
        assertThat(new BillCalendar(Instant.parse("2026-12-01T16:30:00Z"), Duration.ofSeconds(60)).firstDate())
                .isEqualTo(LocalDate.of(2026, 12, 2));
    }

    @Test
    void aDayIncludesItsStartAndExcludesItsEnd() {
        assertThat(minute.dayOf(START)).isZero();
        assertThat(minute.dayOf(START.plusMillis(59_999))).isZero();
        assertThat(minute.dayOf(START.plusSeconds(60))).isEqualTo(1);
        assertThat(minute.dayOf(START.plusSeconds(60).minusNanos(1))).isZero();
        assertThat(minute.dayOf(START.plusSeconds(150))).isEqualTo(2);
        assertThat(minute.dayOf(START.minusMillis(1))).isEqualTo(-1);
        assertThat(minute.dateOf(START.plusSeconds(150))).isEqualTo(LocalDate.of(2026, 12, 4));
        assertThat(minute.start(2)).isEqualTo(START.plusSeconds(120));
        assertThat(minute.end(2)).isEqualTo(START.plusSeconds(180));
    }

    @Test
    void theRealCalendarCutsDaysAtMidnightBeijingTime() {
        BillCalendar daily = BillCalendar.daily(LocalDate.of(2026, 12, 1));
        assertThat(daily.dayOf(Instant.parse("2026-12-01T15:59:59Z"))).isZero();
        assertThat(daily.dateOf(Instant.parse("2026-12-01T16:00:00Z"))).isEqualTo(LocalDate.of(2026, 12, 2));
    }

    @Test
    void itsSettingsAreTheReconciliationJobs() {
        assertThat(minute.settings())
                .isEqualTo(Map.of(
                        "reconcile.calendar.first-day-start", "2026-12-02T15:59:30Z",
                        "reconcile.calendar.day-length", "60s"));
        assertThat(new BillCalendar(START, Duration.ofMillis(1500)).settings())
                .containsEntry(BillCalendar.DAY_LENGTH, "1500ms");
        assertThatThrownBy(() -> new BillCalendar(START, Duration.ZERO)).hasMessageContaining("must last");
    }
}
