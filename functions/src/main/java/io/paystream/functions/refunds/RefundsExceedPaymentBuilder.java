package io.paystream.functions.refunds;

import static io.paystream.functions.payments.LostPaymentOptions.STATE_SAFETY_TTL;
import static io.paystream.functions.refunds.LostRefundOptions.REFUND_WINDOW;

import io.paystream.functions.options.InvalidOptionsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * {@link RefundsExceedPayment}'s options, defaulting to the settings' defaults; {@link #build()}
 * checks them and names the setting of each bad one.
 */
public final class RefundsExceedPaymentBuilder {
    Duration refundWindow = REFUND_WINDOW.defaultValue();
    Duration safetyTtl = STATE_SAFETY_TTL.defaultValue();

    RefundsExceedPaymentBuilder() {}

    /** Every option from a configuration (a job's settings). */
    public RefundsExceedPaymentBuilder from(ReadableConfig config) {
        return refundWindow(config.get(REFUND_WINDOW)).safetyTtl(config.get(STATE_SAFETY_TTL));
    }

    /** {@code refunds.window}. */
    public RefundsExceedPaymentBuilder refundWindow(Duration v) {
        this.refundWindow = v;
        return this;
    }

    /** {@code state.safety-ttl}: added to the refund window, as a margin behind the window's own timer. */
    public RefundsExceedPaymentBuilder safetyTtl(Duration v) {
        this.safetyTtl = v;
        return this;
    }

    /** Checks every option; throws {@link InvalidOptionsException} naming the setting of each bad one. */
    public RefundsExceedPayment build() {
        List<String> problems = new ArrayList<>();
        InvalidOptionsException.positive(REFUND_WINDOW, refundWindow, problems);
        InvalidOptionsException.positive(STATE_SAFETY_TTL, safetyTtl, problems);
        InvalidOptionsException.throwIfAny(problems);
        return new RefundsExceedPayment(this);
    }
}
