package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.reconcile.BillCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class LocalOnlyHoldTest {
    private final LocalOnlyHold hold = new LocalOnlyHold(LocalOnlyHold.DEFAULT_PENDING_DAYS);

    private static long at(String time) {
        return OffsetDateTime.parse(time).toInstant().toEpochMilli();
    }

    @Test
    void pendingLocalOnlyBecomesAlertableAfterThreeDays() {
        long paid = at("2026-11-30T10:06:33+08:00");

        assertThat(hold.lastBillDay(paid)).isEqualTo(LocalDate.parse("2026-12-03"));
        assertThat(hold.isAlertable(paid, at("2026-12-03T23:59:59.999+08:00"))).isFalse();
        assertThat(hold.isAlertable(paid, at("2026-12-04T00:00+08:00"))).isTrue();
        assertThat(hold.alertableAt(paid)).isEqualTo(at("2026-12-04T00:00+08:00"));
    }

    @Test
    void aSimulationsShortDaysHoldForAsManyShortDays() {
        Instant start = Instant.parse("2026-12-02T07:30:00Z"); // 15:30 in Beijing, 2026-12-02
        BillCalendar minutes = new BillCalendar(start, Duration.ofMinutes(1));
        assertThat(new LocalOnlyHold(3, minutes).alertableAt(start.toEpochMilli() + 1))
                .as("four short days after")
                .isEqualTo(start.toEpochMilli() + 240_000);
    }

    @Test
    void laterBillsMayStillCarryItUntilTheLastPendingDay() {
        long paid = at("2026-11-30T10:06:33+08:00");

        assertThat(hold.alertableAfterBill(paid, "2026-11-30")).isFalse();
        assertThat(hold.alertableAfterBill(paid, "2026-12-02")).isFalse();
        assertThat(hold.alertableAfterBill(paid, "2026-12-03")).isTrue();
        assertThat(hold.alertableAfterBill(paid, "2026-12-05")).isTrue();
    }

    @Test
    void theDayIsBeijingsNotUtcs() {
        // 2026-11-30 23:30 UTC is already 2026-12-01 in Beijing: it belongs on the bill of the 1st.
        long paid = at("2026-11-30T23:30:00Z");

        assertThat(hold.lastBillDay(paid)).isEqualTo(LocalDate.parse("2026-12-04"));
        assertThat(hold.alertableAt(paid)).isEqualTo(at("2026-12-05T00:00+08:00"));
    }

    @Test
    void zeroPendingDaysAlertsOnceItsOwnDayIsOver() {
        LocalOnlyHold none = new LocalOnlyHold(0);
        long paid = at("2026-11-30T10:06:33+08:00");

        assertThat(none.alertableAt(paid)).isEqualTo(at("2026-12-01T00:00+08:00"));
        assertThat(none.alertableAfterBill(paid, "2026-11-30")).isTrue();
        assertThatThrownBy(() -> new LocalOnlyHold(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
