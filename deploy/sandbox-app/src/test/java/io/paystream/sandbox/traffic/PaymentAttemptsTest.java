package io.paystream.sandbox.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PaymentAttemptsTest {
    private static final Instant FIRST_ATTEMPT_FAILED = Instant.parse("2026-12-01T21:24:13.602Z");
    private static final Instant RETRY_BEGAN = Instant.parse("2026-12-01T21:24:14.844Z");

    @Test
    void anOutcomeOfAPaymentNeverRetriedApplies() {
        PaymentAttempts attempts = new PaymentAttempts();

        assertThat(attempts.belongsToCurrentAttempt("P1", FIRST_ATTEMPT_FAILED)).isTrue();
    }

    @Test
    void theFirstAttemptsFailureArrivingAfterTheRetryBeganDoesNotCloseTheRetry() {
        // The soak's case: FAILED verified at 21:24:13.602, applied after the retry at 21:24:14.844.
        PaymentAttempts attempts = new PaymentAttempts();
        attempts.beginRetry("P1", RETRY_BEGAN);

        assertThat(attempts.belongsToCurrentAttempt("P1", FIRST_ATTEMPT_FAILED)).isFalse();
    }

    @Test
    void anOutcomeVerifiedDuringTheRetryApplies() {
        PaymentAttempts attempts = new PaymentAttempts();
        attempts.beginRetry("P1", RETRY_BEGAN);

        assertThat(attempts.belongsToCurrentAttempt("P1", RETRY_BEGAN.plusMillis(900)))
                .isTrue();
    }

    @Test
    void aRetryOfOnePaymentLeavesOthersAlone() {
        PaymentAttempts attempts = new PaymentAttempts();
        attempts.beginRetry("P1", RETRY_BEGAN);

        assertThat(attempts.belongsToCurrentAttempt("P2", FIRST_ATTEMPT_FAILED)).isTrue();
    }

    @Test
    void anOutcomeWithoutVerificationTimeIsTakenAsCurrent() {
        PaymentAttempts attempts = new PaymentAttempts();
        attempts.beginRetry("P1", RETRY_BEGAN);

        assertThat(attempts.belongsToCurrentAttempt("P1", null)).isTrue();
    }

    @Test
    void aRefusedRetryLeavesTheFirstAttemptCurrent() {
        PaymentAttempts attempts = new PaymentAttempts();
        Instant previous = attempts.beginRetry("P1", RETRY_BEGAN);
        attempts.retryRefused("P1", previous);

        assertThat(attempts.belongsToCurrentAttempt("P1", FIRST_ATTEMPT_FAILED)).isTrue();
    }
}
