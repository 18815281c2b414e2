package io.paystream.functions.payments;

import static io.paystream.functions.payments.LostPaymentOptions.REMEMBER_FOR;
import static io.paystream.functions.payments.LostPaymentOptions.REQUERY_ANSWER_TIMEOUT;
import static io.paystream.functions.payments.LostPaymentOptions.REQUERY_SCHEDULE;
import static io.paystream.functions.payments.LostPaymentOptions.RESTORE_GRACE;
import static io.paystream.functions.payments.LostPaymentOptions.ROW_WAIT;
import static io.paystream.functions.payments.LostPaymentOptions.STATE_SAFETY_TTL;

import io.paystream.functions.options.InvalidOptionsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * {@link PaymentTimeouts}' options, one per setting, defaulting to the settings' defaults.
 * {@link #build()} checks them all and names the setting of each bad one.
 */
public final class PaymentTimeoutsBuilder {
    String requerySchedule = REQUERY_SCHEDULE.defaultValue();
    Duration answerTimeout = REQUERY_ANSWER_TIMEOUT.defaultValue();
    Duration rememberFor = REMEMBER_FOR.defaultValue();
    Duration rowWait = ROW_WAIT.defaultValue();
    Duration safetyTtl = STATE_SAFETY_TTL.defaultValue();
    Duration restoreGrace = RESTORE_GRACE.defaultValue();
    Schedule schedule;

    PaymentTimeoutsBuilder() {}

    /** Every option from a configuration (a job's settings). */
    public PaymentTimeoutsBuilder from(ReadableConfig config) {
        return requerySchedule(config.get(REQUERY_SCHEDULE))
                .answerTimeout(config.get(REQUERY_ANSWER_TIMEOUT))
                .rememberFor(config.get(REMEMBER_FOR))
                .rowWait(config.get(ROW_WAIT))
                .safetyTtl(config.get(STATE_SAFETY_TTL))
                .restoreGrace(config.get(RESTORE_GRACE));
    }

    /** {@code requery.schedule}: strictly increasing offsets from PAYING, at least one. */
    public PaymentTimeoutsBuilder requerySchedule(String v) {
        this.requerySchedule = v;
        return this;
    }

    /** {@code requery.answer-timeout}. */
    public PaymentTimeoutsBuilder answerTimeout(Duration v) {
        this.answerTimeout = v;
        return this;
    }

    /** {@code payments.remember-for}. */
    public PaymentTimeoutsBuilder rememberFor(Duration v) {
        this.rememberFor = v;
        return this;
    }

    /** {@code callbacks.row-wait}. */
    public PaymentTimeoutsBuilder rowWait(Duration v) {
        this.rowWait = v;
        return this;
    }

    /** {@code state.safety-ttl}. */
    public PaymentTimeoutsBuilder safetyTtl(Duration v) {
        this.safetyTtl = v;
        return this;
    }

    /** {@code timeouts.restore-grace}: zero or more (zero: no grace). */
    public PaymentTimeoutsBuilder restoreGrace(Duration v) {
        this.restoreGrace = v;
        return this;
    }

    /** Checks every option; throws {@link InvalidOptionsException} naming the setting of each bad one. */
    public PaymentTimeouts build() {
        List<String> problems = new ArrayList<>();
        try {
            schedule = Schedule.increasing(requerySchedule);
            if (schedule.size() == 0) {
                problems.add("setting '" + REQUERY_SCHEDULE.key() + "' needs at least one re-query");
            }
        } catch (IllegalArgumentException e) {
            problems.add("setting '" + REQUERY_SCHEDULE.key() + "': " + e.getMessage());
        }
        InvalidOptionsException.positive(REQUERY_ANSWER_TIMEOUT, answerTimeout, problems);
        InvalidOptionsException.positive(REMEMBER_FOR, rememberFor, problems);
        InvalidOptionsException.positive(ROW_WAIT, rowWait, problems);
        InvalidOptionsException.positive(STATE_SAFETY_TTL, safetyTtl, problems);
        InvalidOptionsException.notNegative(RESTORE_GRACE, restoreGrace, problems);
        InvalidOptionsException.throwIfAny(problems);
        return new PaymentTimeouts(this);
    }
}
