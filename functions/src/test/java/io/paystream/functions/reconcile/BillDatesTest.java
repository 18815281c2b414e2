package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.reconcile.BillCalendar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class BillDatesTest {
    private static final BillCalendar MINUTES =
            new BillCalendar(Instant.parse("2026-12-02T07:30:00Z"), Duration.ofMinutes(1));

    @Test
    void aDateIsTheCalendarsDayWhateverCameBefore() {
        BillDates dates = new BillDates(MINUTES);
        for (String date : new String[] {"2026-12-02", "2026-12-02", "2026-12-05", "2026-12-02", "2027-01-01"}) {
            assertThat(dates.day(date)).as(date).isEqualTo(LocalDate.parse(date));
            assertThat(dates.endOf(date)).as(date).isEqualTo(MINUTES.endOf(LocalDate.parse(date)));
        }
        assertThat(dates.endOf(new String("2026-12-03"))) // equal text, another instance (a restored line's)
                .isEqualTo(MINUTES.endOf(LocalDate.parse("2026-12-03")));
    }

    @Test
    void aBadDateIsRefusedAndForgetsNothing() {
        BillDates dates = new BillDates(BillCalendar.BEIJING_DAYS);
        assertThat(dates.day("2026-11-30")).isEqualTo(LocalDate.parse("2026-11-30"));
        assertThatThrownBy(() -> dates.day("2026-13-45")).isInstanceOf(DateTimeParseException.class);
        assertThat(dates.endOf("2026-11-30"))
                .isEqualTo(Instant.parse("2026-11-30T15:59:59.999Z").toEpochMilli());
    }

    @Test
    void eachFunctionsCopyStartsWithNothingRemembered() throws Exception {
        BillDates dates = new BillDates(MINUTES);
        dates.day("2026-12-04");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(dates);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            BillDates copy = (BillDates) in.readObject();
            assertThat(copy.day("2026-12-04")).isEqualTo(LocalDate.parse("2026-12-04"));
            assertThat(copy.endOf("2026-12-04")).isEqualTo(MINUTES.endOf(LocalDate.parse("2026-12-04")));
        }
    }
}
