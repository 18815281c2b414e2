package io.paystream.functions.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.functions.payments.LostPaymentOptions;
import io.paystream.functions.payments.OrderPaidTimeouts;
import io.paystream.functions.payments.PaymentTimeouts;
import io.paystream.functions.refunds.RefundTimeouts;
import io.paystream.functions.stock.OrderStock;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The functions' builders name the setting of every bad option, all of them at once. */
class FunctionBuildersTest {

    @Test
    void theSettingsDefaultsBuildEveryFunction() {
        Configuration defaults = new Configuration();
        assertThat(PaymentTimeouts.builder().from(defaults).build()).isNotNull();
        assertThat(OrderPaidTimeouts.builder().from(defaults).build()).isNotNull();
        assertThat(OrderStock.builder().from(defaults).build()).isNotNull();
    }

    @Test
    void aBadRequeryScheduleAndTimeoutAreNamedByTheirKeys() {
        assertThatThrownBy(() -> PaymentTimeouts.builder()
                        .requerySchedule("20s,10s")
                        .answerTimeout(Duration.ZERO)
                        .build())
                .isInstanceOfSatisfying(
                        InvalidOptionsException.class,
                        e -> assertThat(e.problems())
                                .satisfiesExactly(
                                        p -> assertThat(p).startsWith("setting 'requery.schedule': "),
                                        p -> assertThat(p)
                                                .startsWith("setting 'requery.answer-timeout' must be positive")));
        assertThatThrownBy(() -> PaymentTimeouts.builder().requerySchedule("").build())
                .hasMessage("setting 'requery.schedule' needs at least one re-query");
    }

    @Test
    void aNegativeRestoreGraceIsNamedByItsKeyAndZeroTurnsItOff() {
        assertThatThrownBy(() -> PaymentTimeouts.builder()
                        .answerTimeout(Duration.ZERO)
                        .restoreGrace(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidOptionsException.class,
                        e -> assertThat(e.problems())
                                .satisfiesExactly(
                                        p -> assertThat(p)
                                                .startsWith("setting 'requery.answer-timeout' must be positive"),
                                        p -> assertThat(p)
                                                .isEqualTo(
                                                        "setting 'timeouts.restore-grace' must not be negative, got PT-1S")));
        assertThatThrownBy(() -> RefundTimeouts.builder()
                        .restoreGrace(Duration.ofSeconds(-1))
                        .build())
                .hasMessage("setting 'timeouts.restore-grace' must not be negative, got PT-1S");
        assertThatThrownBy(() -> OrderPaidTimeouts.builder()
                        .restoreGrace(Duration.ofSeconds(-1))
                        .build())
                .hasMessage("setting 'timeouts.restore-grace' must not be negative, got PT-1S");
        assertThat(PaymentTimeouts.builder().restoreGrace(Duration.ZERO).build())
                .isNotNull();
        assertThat(RefundTimeouts.builder()
                        .from(new Configuration().set(LostPaymentOptions.RESTORE_GRACE, Duration.ofSeconds(30)))
                        .build())
                .isNotNull();
    }

    @Test
    void aBadRenotifyScheduleIsNamedByItsKey() {
        assertThatThrownBy(() -> OrderPaidTimeouts.builder()
                        .retryGaps("30s,soon")
                        .giveUpAfter(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidOptionsException.class,
                        e -> assertThat(e.problems())
                                .satisfiesExactly(
                                        p -> assertThat(p).startsWith("setting 'internal.schedule': "),
                                        p -> assertThat(p)
                                                .startsWith("setting 'internal.give-up-after' must be positive")));
    }

    @Test
    void anOrderRetentionNotLongerThanThePayTimeoutNamesBoth() {
        assertThatThrownBy(() -> OrderStock.builder()
                        .payTimeout(Duration.ofMinutes(15))
                        .retention(Duration.ofMinutes(10))
                        .build())
                .hasMessage("setting 'order.retention' (PT10M) must be longer than 'order.pay-timeout' (PT15M)");
    }
}
