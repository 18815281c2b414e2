package io.paystream.functions.payments;

import static io.paystream.functions.payments.LostPaymentOptions.INTERNAL_GIVE_UP_AFTER;
import static io.paystream.functions.payments.LostPaymentOptions.INTERNAL_SCHEDULE;
import static io.paystream.functions.payments.LostPaymentOptions.INTERNAL_TIMEOUT;
import static io.paystream.functions.payments.LostPaymentOptions.REMEMBER_FOR;
import static io.paystream.functions.payments.LostPaymentOptions.RESTORE_GRACE;
import static io.paystream.functions.payments.LostPaymentOptions.STATE_SAFETY_TTL;

import io.paystream.functions.options.InvalidOptionsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * {@link OrderPaidTimeouts}' options, one per setting, defaulting to the settings' defaults.
 * {@link #build()} checks them all and names the setting of each bad one.
 */
public final class OrderPaidTimeoutsBuilder {
    Duration timeout = INTERNAL_TIMEOUT.defaultValue();
    String retryGaps = INTERNAL_SCHEDULE.defaultValue();
    Duration giveUpAfter = INTERNAL_GIVE_UP_AFTER.defaultValue();
    Duration rememberFor = REMEMBER_FOR.defaultValue();
    Duration safetyTtl = STATE_SAFETY_TTL.defaultValue();
    Duration restoreGrace = RESTORE_GRACE.defaultValue();
    Schedule gaps;

    OrderPaidTimeoutsBuilder() {}

    /** Every option from a configuration (a job's settings). */
    public OrderPaidTimeoutsBuilder from(ReadableConfig config) {
        return timeout(config.get(INTERNAL_TIMEOUT))
                .retryGaps(config.get(INTERNAL_SCHEDULE))
                .giveUpAfter(config.get(INTERNAL_GIVE_UP_AFTER))
                .rememberFor(config.get(REMEMBER_FOR))
                .safetyTtl(config.get(STATE_SAFETY_TTL))
                .restoreGrace(config.get(RESTORE_GRACE));
    }

    /** {@code internal.timeout}: the first re-notification, after the payment's SUCCESS. */
    public OrderPaidTimeoutsBuilder timeout(Duration v) {
        this.timeout = v;
        return this;
    }

    /** {@code internal.schedule}: gaps between further re-notifications (empty: one only). */
    public OrderPaidTimeoutsBuilder retryGaps(String v) {
        this.retryGaps = v;
        return this;
    }

    /** {@code internal.give-up-after}: the alert, after the last re-notification. */
    public OrderPaidTimeoutsBuilder giveUpAfter(Duration v) {
        this.giveUpAfter = v;
        return this;
    }

    /** {@code payments.remember-for}: how long a PAID or alerted order is kept as a marker. */
    public OrderPaidTimeoutsBuilder rememberFor(Duration v) {
        this.rememberFor = v;
        return this;
    }

    /** {@code state.safety-ttl}. */
    public OrderPaidTimeoutsBuilder safetyTtl(Duration v) {
        this.safetyTtl = v;
        return this;
    }

    /** {@code timeouts.restore-grace}: zero or more (zero: no grace). */
    public OrderPaidTimeoutsBuilder restoreGrace(Duration v) {
        this.restoreGrace = v;
        return this;
    }

    /** Checks every option; throws {@link InvalidOptionsException} naming the setting of each bad one. */
    public OrderPaidTimeouts build() {
        List<String> problems = new ArrayList<>();
        try {
            gaps = Schedule.parse(retryGaps);
        } catch (IllegalArgumentException e) {
            problems.add("setting '" + INTERNAL_SCHEDULE.key() + "': " + e.getMessage());
        }
        InvalidOptionsException.positive(INTERNAL_TIMEOUT, timeout, problems);
        InvalidOptionsException.positive(INTERNAL_GIVE_UP_AFTER, giveUpAfter, problems);
        InvalidOptionsException.positive(REMEMBER_FOR, rememberFor, problems);
        InvalidOptionsException.positive(STATE_SAFETY_TTL, safetyTtl, problems);
        InvalidOptionsException.notNegative(RESTORE_GRACE, restoreGrace, problems);
        InvalidOptionsException.throwIfAny(problems);
        return new OrderPaidTimeouts(this);
    }
}
