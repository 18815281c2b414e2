package io.paystream.functions.refunds;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * The settings of the refund functions that the payment watch's ({@code LostPaymentOptions}) do not
 * already cover. The answer timeout, the row wait, the retention and the safety TTL are the payment
 * watch's own settings ({@code requery.answer-timeout}, {@code callbacks.row-wait},
 * {@code payments.remember-for}, {@code state.safety-ttl}): the same query worker answers, the same
 * CDC lags, the channels resend refund notifications on the same schedule as payment ones.
 */
public final class LostRefundOptions {
    /**
     * Refunds take longer than payments (a channel may keep one PROCESSING for minutes, to a bank
     * card longer), so the payment schedule's seconds would cry LOST_REFUND at every refund.
     */
    public static final ConfigOption<String> REFUND_REQUERY_SCHEDULE = key("refunds.requery-schedule")
            .stringType()
            .defaultValue("1m,10m,1h")
            .withDescription("Re-query a REFUNDING refund this long after it entered REFUNDING (its own row time); "
                    + "LOST_REFUND when no outcome arrived requery.answer-timeout after the last one.");
    /**
     * How long after a payment was paid a refund of it can still succeed: WeChat Pay accepts refunds
     * for a year, Alipay for three months by default, UnionPay within its own window; the longest.
     */
    public static final ConfigOption<Duration> REFUND_WINDOW = key("refunds.window")
            .durationType()
            .defaultValue(Duration.ofDays(366))
            .withDescription("How long the refunds-exceed-payment rule keeps a paid payment after it was paid: "
                    + "no channel accepts a refund later.");

    private LostRefundOptions() {}
}
