package io.paystream.jobs.payments;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Settings of the lost-payments job (defaults from the business notes). */
public final class LostPaymentsOptions {
    public static final ConfigOption<String> REQUERY_SCHEDULE = key("requery.schedule").stringType()
            .defaultValue("10s,20s,30s").withDescription("Re-query a PAYING payment this long after it entered PAYING (its own row time).");
    public static final ConfigOption<Duration> REQUERY_ANSWER_TIMEOUT = key("requery.answer-timeout").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("Alert LOST_PAYMENT_EXTERNAL when no outcome arrived this long after the last re-query.");
    public static final ConfigOption<Duration> INTERNAL_TIMEOUT = key("internal.timeout").durationType()
            .defaultValue(Duration.ofSeconds(30)).withDescription("Re-notify the business when an order is still not PAID this long after its payment's SUCCESS.");
    public static final ConfigOption<String> INTERNAL_SCHEDULE = key("internal.schedule").stringType()
            .defaultValue("30s,60s").withDescription("Gaps between further re-notifications (empty: re-notify once).");
    public static final ConfigOption<Duration> INTERNAL_GIVE_UP_AFTER = key("internal.give-up-after").durationType()
            .defaultValue(Duration.ofSeconds(60)).withDescription("Alert LOST_PAYMENT_INTERNAL this long after the last re-notification.");
    public static final ConfigOption<Duration> SETTLED_RETENTION = key("payments.settled-retention").durationType()
            .defaultValue(Duration.ofMinutes(10)).withDescription("How long a settled payment or paid order is remembered, so replayed "
                    + "or late rows cannot restart a schedule.");
    public static final ConfigOption<Duration> STATE_SAFETY_TTL = key("state.safety-ttl").durationType()
            .defaultValue(Duration.ofDays(3)).withDescription("State TTL as a safety net only: every path clears its state itself.");

    private LostPaymentsOptions() {}
}
