package io.paystream.functions.reconcile;

import io.paystream.state.reconcile.BillCalendar;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * Bill dates ({@code yyyy-MM-dd}, as bill records and lines carry them) as days of a {@link
 * BillCalendar}, the date text parsed only when it changes. A channel's bill is read file by file,
 * and every record of a file carries the same date: parsing it per record was the reconciliation's
 * one per-event date parse (bill time of each record, the key's forget time on each line).
 *
 * <p><b>Decision:</b> remember the last date read rather than carry an epoch day on the records.
 * {@code BillLine} is the bill's side of the keyed state (in every savepoint) and {@code billDate}
 * is the text the findings publish (docs/contract.md): neither changes for this.
 *
 * <p>Not thread-safe: one per function instance (each subtask deserializes its own; what it
 * remembers is transient and starts empty).
 */
public final class BillDates implements Serializable {
    private static final long serialVersionUID = 1L;

    private final BillCalendar calendar;

    private transient String lastDate;
    private transient LocalDate lastDay;
    private transient long lastEndMs;

    public BillDates(BillCalendar calendar) {
        this.calendar = calendar;
    }

    /** The day of a bill date; DateTimeParseException when it is none. */
    public LocalDate day(String billDate) {
        read(billDate);
        return lastDay;
    }

    /** The last millisecond of a bill date's day: its bill time ({@link BillCalendar#endOf}). */
    public long endOf(String billDate) {
        read(billDate);
        return lastEndMs;
    }

    private void read(String billDate) {
        if (!billDate.equals(lastDate)) {
            LocalDate day = LocalDate.parse(billDate); // throws before anything is remembered
            lastEndMs = calendar.endOf(day);
            lastDay = day;
            lastDate = billDate;
        }
    }
}
