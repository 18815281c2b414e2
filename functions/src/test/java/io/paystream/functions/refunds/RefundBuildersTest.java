package io.paystream.functions.refunds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.functions.options.InvalidOptionsException;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The refund functions' builders, as FunctionBuildersTest checks the others': every bad setting named. */
class RefundBuildersTest {

    @Test
    void theSettingsDefaultsBuildBothRefundFunctions() {
        Configuration defaults = new Configuration();
        RefundTimeouts watch = RefundTimeouts.builder().from(defaults).build();
        assertThat(watch.requerySchedule.size()).as("1m,10m,1h").isEqualTo(3);
        assertThat(watch.answerTimeoutMs)
                .as("the payment watch's requery.answer-timeout")
                .isEqualTo(10_000);
        assertThat(RefundsExceedPayment.builder().from(defaults).build().refundWindowMs)
                .isEqualTo(Duration.ofDays(366).toMillis());
    }

    @Test
    void aBadRefundScheduleAndWindowAreNamedByTheirKeys() {
        assertThatThrownBy(() -> RefundTimeouts.builder()
                        .requerySchedule("10m,1m")
                        .rowWait(Duration.ZERO)
                        .build())
                .isInstanceOfSatisfying(
                        InvalidOptionsException.class,
                        e -> assertThat(e.problems())
                                .satisfiesExactly(
                                        p -> assertThat(p).startsWith("setting 'refunds.requery-schedule': "),
                                        p -> assertThat(p)
                                                .startsWith("setting 'callbacks.row-wait' must be positive")));
        assertThatThrownBy(() -> RefundTimeouts.builder().requerySchedule("").build())
                .hasMessage("setting 'refunds.requery-schedule' needs at least one re-query");
        assertThatThrownBy(() -> RefundsExceedPayment.builder()
                        .refundWindow(Duration.ofDays(-1))
                        .build())
                .hasMessageStartingWith("setting 'refunds.window' must be positive");
    }
}
