package io.paystream.functions.payments;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * The settings of the lost-payment functions ({@link PaymentTimeouts}, {@link OrderPaidTimeouts}),
 * declared next to them so that their builders name the key of a bad value; the payments job
 * offers them among its settings ({@code PaymentOptions}).
 */
public final class LostPaymentOptions {
    public static final ConfigOption<String> REQUERY_SCHEDULE = key("requery.schedule")
            .stringType()
            .defaultValue("10s,20s,30s")
            .withDescription("Re-query a PAYING payment this long after it entered PAYING (its own row time).");
    public static final ConfigOption<Duration> REQUERY_ANSWER_TIMEOUT = key("requery.answer-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Alert LOST_PAYMENT_EXTERNAL when no outcome arrived this long after the last re-query.");
    public static final ConfigOption<Duration> ROW_WAIT = key("callbacks.row-wait")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("How long a notification waits for its payment row to arrive by CDC "
                    + "before it is rejected as UNKNOWN_PAYMENT.");
    /**
     * After a restore, the sources resume from the checkpoint's offsets and binlog position within a
     * second or two of the tasks' start (a Kafka fetch, a binlog reconnect), and the backlog of a
     * restart's downtime (tens of seconds of a shop's answers and rows) reads in well under a second:
     * 5 s covers both with room. Raise it when a restore follows a long outage (a large backlog);
     * 0 turns the grace off (overdue deadlines conclude at once, before the replay).
     */
    public static final ConfigOption<Duration> RESTORE_GRACE = key("timeouts.restore-grace")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("After a restore, a deadline due within this long of the restart (an overdue one: "
                    + "it passed while the job was down) waits until then, so that the answers, notifications "
                    + "and rows replayed from the checkpoint are in before it acts (re-query, LOST_*, UNKNOWN_*, forget); "
                    + "0: no grace.");

    public static final ConfigOption<Duration> INTERNAL_TIMEOUT = key("internal.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription(
                    "Re-notify the business when an order is still not PAID this long after its payment's SUCCESS.");
    public static final ConfigOption<String> INTERNAL_SCHEDULE = key("internal.schedule")
            .stringType()
            .defaultValue("30s,60s")
            .withDescription("Gaps between further re-notifications (empty: re-notify once).");
    public static final ConfigOption<Duration> INTERNAL_GIVE_UP_AFTER = key("internal.give-up-after")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("Alert LOST_PAYMENT_INTERNAL this long after the last re-notification.");
    public static final ConfigOption<Duration> REMEMBER_FOR = key("payments.remember-for")
            .durationType()
            .defaultValue(Duration.ofHours(48))
            .withDescription(
                    "How long a payment (and a paid order) is remembered after its last change: "
                            + "resends are recognized as duplicates, replayed rows change nothing. WeChat Pay resends for 24 h 4 min.");
    public static final ConfigOption<Duration> STATE_SAFETY_TTL = key("state.safety-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("State TTL as a safety net only: every path clears its state itself.");

    private LostPaymentOptions() {}
}
