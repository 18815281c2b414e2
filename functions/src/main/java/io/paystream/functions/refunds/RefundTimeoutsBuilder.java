package io.paystream.functions.refunds;

import static io.paystream.functions.payments.LostPaymentOptions.REMEMBER_FOR;
import static io.paystream.functions.payments.LostPaymentOptions.REQUERY_ANSWER_TIMEOUT;
import static io.paystream.functions.payments.LostPaymentOptions.RESTORE_GRACE;
import static io.paystream.functions.payments.LostPaymentOptions.ROW_WAIT;
import static io.paystream.functions.payments.LostPaymentOptions.STATE_SAFETY_TTL;
import static io.paystream.functions.refunds.LostRefundOptions.REFUND_REQUERY_SCHEDULE;

import io.paystream.functions.options.InvalidOptionsException;
import io.paystream.functions.payments.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * {@link RefundTimeouts}' options, one per setting, defaulting to the settings' defaults.
 * {@link #build()} checks them all and names the setting of each bad one.
 */
public final class RefundTimeoutsBuilder {
    String requerySchedule = REFUND_REQUERY_SCHEDULE.defaultValue();
    Duration answerTimeout = REQUERY_ANSWER_TIMEOUT.defaultValue();
    Duration rememberFor = REMEMBER_FOR.defaultValue();
    Duration rowWait = ROW_WAIT.defaultValue();
    Duration safetyTtl = STATE_SAFETY_TTL.defaultValue();
    Duration restoreGrace = RESTORE_GRACE.defaultValue();
    Schedule schedule;

    RefundTimeoutsBuilder() {}

    /** Every option from a configuration (a job's settings). */
    public RefundTimeoutsBuilder from(ReadableConfig config) {
        return requerySchedule(config.get(REFUND_REQUERY_SCHEDULE))
                .answerTimeout(config.get(REQUERY_ANSWER_TIMEOUT))
                .rememberFor(config.get(REMEMBER_FOR))
                .rowWait(config.get(ROW_WAIT))
                .safetyTtl(config.get(STATE_SAFETY_TTL))
                .restoreGrace(config.get(RESTORE_GRACE));
    }

    /** {@code refunds.requery-schedule}: strictly increasing offsets from REFUNDING, at least one. */
    public RefundTimeoutsBuilder requerySchedule(String v) {
        this.requerySchedule = v;
        return this;
    }

    /** {@code requery.answer-timeout}. */
    public RefundTimeoutsBuilder answerTimeout(Duration v) {
        this.answerTimeout = v;
        return this;
    }

    /** {@code payments.remember-for}. */
    public RefundTimeoutsBuilder rememberFor(Duration v) {
        this.rememberFor = v;
        return this;
    }

    /** {@code callbacks.row-wait}. */
    public RefundTimeoutsBuilder rowWait(Duration v) {
        this.rowWait = v;
        return this;
    }

    /** {@code state.safety-ttl}. */
    public RefundTimeoutsBuilder safetyTtl(Duration v) {
        this.safetyTtl = v;
        return this;
    }

    /** {@code timeouts.restore-grace}: zero or more (zero: no grace). */
    public RefundTimeoutsBuilder restoreGrace(Duration v) {
        this.restoreGrace = v;
        return this;
    }

    /** Checks every option; throws {@link InvalidOptionsException} naming the setting of each bad one. */
    public RefundTimeouts build() {
        List<String> problems = new ArrayList<>();
        try {
            schedule = Schedule.increasing(requerySchedule);
            if (schedule.size() == 0) {
                problems.add("setting '" + REFUND_REQUERY_SCHEDULE.key() + "' needs at least one re-query");
            }
        } catch (IllegalArgumentException e) {
            problems.add("setting '" + REFUND_REQUERY_SCHEDULE.key() + "': " + e.getMessage());
        }
        InvalidOptionsException.positive(REQUERY_ANSWER_TIMEOUT, answerTimeout, problems);
        InvalidOptionsException.positive(REMEMBER_FOR, rememberFor, problems);
        InvalidOptionsException.positive(ROW_WAIT, rowWait, problems);
        InvalidOptionsException.positive(STATE_SAFETY_TTL, safetyTtl, problems);
        InvalidOptionsException.notNegative(RESTORE_GRACE, restoreGrace, problems);
        InvalidOptionsException.throwIfAny(problems);
        return new RefundTimeouts(this);
    }
}
