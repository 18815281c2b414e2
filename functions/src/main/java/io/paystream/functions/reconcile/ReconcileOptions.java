package io.paystream.functions.reconcile;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.paystream.state.reconcile.BillCalendar;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** The settings of the reconciliation functions (the job's own, such as where bills are, are the job's). */
public final class ReconcileOptions {
    public static final ConfigOption<String> FIRST_DAY = key("reconcile.first-day")
            .stringType()
            .noDefaultValue()
            .withDescription("The first bill day (yyyy-MM-dd) to reconcile: the shop's successes of earlier days are"
                    + " never alerted LOCAL_ONLY (no bill of theirs is read), rows older than the pending days before"
                    + " it are not kept. Required: it is the business's decision, and the CDC snapshot brings every"
                    + " success the shop ever had.");
    public static final ConfigOption<String> LAST_DAY = key("reconcile.last-day")
            .stringType()
            .noDefaultValue()
            .withDescription("The last bill day to reconcile (yyyy-MM-dd); only one day's check (deploy/reconcile)"
                    + " sets it: the shop's rows of later days are not kept.");
    public static final ConfigOption<Integer> PENDING_DAYS = key("reconcile.pending-days")
            .intType()
            .defaultValue(LocalOnlyHold.DEFAULT_PENDING_DAYS)
            .withDescription("A shop success that its day's bill does not carry is held this many further bill days"
                    + " (a channel may book it on a later day's bill), then alerted LOCAL_ONLY once the last of those"
                    + " bills was read.");
    public static final ConfigOption<Integer> KEEP_DAYS = key("reconcile.keep-days")
            .intType()
            .defaultValue(7)
            .withDescription("Bill days a payment's or refund's reconciliation is kept after its pending days:"
                    + " a bill re-read within them changes nothing; an older bill's lines are dead letters.");
    public static final ConfigOption<Duration> SHOP_WAIT = key("reconcile.shop-wait")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("A discrepancy (CHANNEL_ONLY, AMOUNT_MISMATCH, STATUS_MISMATCH) is published only if it"
                    + " still stands this long after it was seen: the shop's rows come by CDC and may lag the bill."
                    + " 0 publishes at once (a bounded run, which reports the last word per key).");
    public static final ConfigOption<String> CALENDAR_FIRST_DAY_START = key(BillCalendar.FIRST_DAY_START)
            .stringType()
            .defaultValue("1970-01-01T00:00:00+08:00")
            .withDescription("An instant at which a bill day starts (ISO-8601). The channels cut days at 00:00"
                    + " Beijing time, the default; only a simulation with short days changes it.");
    public static final ConfigOption<Duration> CALENDAR_DAY_LENGTH = key(BillCalendar.DAY_LENGTH)
            .durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("How long a bill day lasts: a day, except in a simulation with short days.");

    private ReconcileOptions() {}
}
