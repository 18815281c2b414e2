package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class BillCalendarTest {
    @Test
    void realBillDaysCutAtMidnightBeijingTime() {
        BillCalendar days = BillCalendar.BEIJING_DAYS;
        long lastSecondOfNov30 = Instant.parse("2026-11-30T15:59:59Z").toEpochMilli();
        assertThat(days.day(lastSecondOfNov30)).isEqualTo(LocalDate.parse("2026-11-30"));
        assertThat(days.day(lastSecondOfNov30 + 1000)).isEqualTo(LocalDate.parse("2026-12-01"));
        assertThat(days.startOf(LocalDate.parse("2026-12-01")))
                .isEqualTo(Instant.parse("2026-11-30T16:00:00Z").toEpochMilli());
        assertThat(days.endOf(LocalDate.parse("2026-11-30"))).isEqualTo(lastSecondOfNov30 + 999);
        assertThat(days.day(Instant.parse("1969-12-31T15:00:00Z").toEpochMilli()))
                .as("before the first day's start too")
                .isEqualTo(LocalDate.parse("1969-12-31"));
    }

    @Test
    void aSimulationsShortDaysCountFromTheirStartsDate() {
        Instant start = Instant.parse("2026-12-02T07:30:00Z"); // 15:30 in Beijing, 2026-12-02
        BillCalendar minutes = BillCalendar.of(start, Duration.ofMinutes(1));
        assertThat(minutes.day(start.toEpochMilli())).isEqualTo(LocalDate.parse("2026-12-02"));
        assertThat(minutes.day(start.toEpochMilli() + 59_999)).isEqualTo(LocalDate.parse("2026-12-02"));
        assertThat(minutes.day(start.toEpochMilli() + 60_000)).isEqualTo(LocalDate.parse("2026-12-03"));
        assertThat(minutes.startOf(LocalDate.parse("2026-12-05"))).isEqualTo(start.toEpochMilli() + 180_000);
        assertThat(new LocalOnlyHold(3, minutes).alertableAt(start.toEpochMilli() + 1))
                .as("four short days after")
                .isEqualTo(start.toEpochMilli() + 240_000);
    }
}
