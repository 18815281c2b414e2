package io.paystream.state.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one bill calendar: as the simulated channels and the sandbox count days, and as the reconciliation job dates bill time. */
class BillCalendarTest {
    /** 23:59:30 in Beijing: day 0 is dated 2026-12-02 though most of it falls on the 3rd there. */
    private static final Instant START = Instant.parse("2026-12-02T15:59:30Z");

    private final BillCalendar minute = new BillCalendar(START, Duration.ofSeconds(60));

    // --- by day number (the channels' and the sandbox's view) -----------------------------------

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

    // --- by date in epoch ms (the reconciliation job's view) ------------------------------------

    @Test
    void realBillDaysCutAtMidnightBeijingTime() {
        BillCalendar days = BillCalendar.BEIJING_DAYS;
        long lastSecondOfNov30 = Instant.parse("2026-11-30T15:59:59Z").toEpochMilli();
        assertThat(days.dateOf(lastSecondOfNov30)).isEqualTo(LocalDate.parse("2026-11-30"));
        assertThat(days.dateOf(lastSecondOfNov30 + 1000)).isEqualTo(LocalDate.parse("2026-12-01"));
        assertThat(days.startOf(LocalDate.parse("2026-12-01")))
                .isEqualTo(Instant.parse("2026-11-30T16:00:00Z").toEpochMilli());
        assertThat(days.endOf(LocalDate.parse("2026-11-30"))).isEqualTo(lastSecondOfNov30 + 999);
        assertThat(days.dateOf(Instant.parse("1969-12-31T15:00:00Z").toEpochMilli()))
                .as("before the first day's start too")
                .isEqualTo(LocalDate.parse("1969-12-31"));
        assertThat(BillCalendar.daily(LocalDate.of(2026, 12, 1)).dateOf(lastSecondOfNov30 + 1000))
                .as("a real calendar from any first day")
                .isEqualTo(LocalDate.parse("2026-12-01"));
    }

    @Test
    void aSimulationsShortDaysCountFromTheirStartsDate() {
        Instant start = Instant.parse("2026-12-02T07:30:00Z"); // 15:30 in Beijing, 2026-12-02
        BillCalendar minutes = new BillCalendar(start, Duration.ofMinutes(1));
        assertThat(minutes.dateOf(start.toEpochMilli())).isEqualTo(LocalDate.parse("2026-12-02"));
        assertThat(minutes.dateOf(start.toEpochMilli() + 59_999)).isEqualTo(LocalDate.parse("2026-12-02"));
        assertThat(minutes.dateOf(start.toEpochMilli() + 60_000)).isEqualTo(LocalDate.parse("2026-12-03"));
        assertThat(minutes.startOf(LocalDate.parse("2026-12-05"))).isEqualTo(start.toEpochMilli() + 180_000);
        assertThat(minutes.endOf(LocalDate.parse("2026-12-02"))).isEqualTo(start.toEpochMilli() + 59_999);
    }

    // --- one calendar for both ------------------------------------------------------------------

    @Test
    void theChannelsDayNumbersAndTheJobsDatesAgreeToTheMillisecond() {
        // The sandbox starts day 0 at Instant.now(), which carries microseconds; the job reads the
        // start from the settings in milliseconds. Both must put an instant on the same bill.
        Instant startWithMicros = Instant.parse("2026-12-02T15:59:30.123456Z");
        BillCalendar sandbox = new BillCalendar(startWithMicros, Duration.ofSeconds(60));
        BillCalendar job = new BillCalendar(
                Instant.parse(sandbox.settings().get(BillCalendar.FIRST_DAY_START)), Duration.ofSeconds(60));
        assertThat(job).isEqualTo(sandbox);
        Instant inTheFirstMillisecond = Instant.parse("2026-12-02T15:59:30.123900Z");
        assertThat(sandbox.dayOf(inTheFirstMillisecond)).isZero();
        assertThat(job.dateOf(inTheFirstMillisecond.toEpochMilli())).isEqualTo(sandbox.date(0));
        assertThat(sandbox.dateOf(sandbox.start(3).minusNanos(1)))
                .isEqualTo(job.dateOf(job.startOf(sandbox.date(3)) - 1));
        assertThatThrownBy(() -> new BillCalendar(START, Duration.ofNanos(1_500_000)))
                .hasMessageContaining("whole milliseconds");
    }

    @Test
    void itTravelsWithTheJobsFunctions() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(minute);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            BillCalendar read = (BillCalendar) in.readObject();
            assertThat(read).isEqualTo(minute);
            assertThat(read.firstDate()).isEqualTo(minute.firstDate());
        }
    }
}
