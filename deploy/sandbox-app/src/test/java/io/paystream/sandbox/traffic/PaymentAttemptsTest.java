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
    void aClosedReceivedBeforeTheRetryButVerifiedAfterItDoesNotCloseTheRetry() {
        // The soak's seed 11: Alipay's TRADE_CLOSED reached the gateway at 03:10:58, the user retried
        // at 03:11:02, paystream (lagging after a fault) verified the CLOSED at 03:11:06. The
        // outcome's receivedAt places it in the first attempt; its verifiedAt would not.
        Instant closedReceived = Instant.parse("2026-12-02T03:10:58.412Z");
        Instant retryBegan = Instant.parse("2026-12-02T03:11:02.075Z");
        PaymentAttempts attempts = new PaymentAttempts();
        attempts.beginRetry("P1", retryBegan);

        assertThat(attempts.belongsToCurrentAttempt("P1", closedReceived)).isFalse();
    }

    @Test
    void anOutcomeReceivedDuringTheRetryApplies() {
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
    void anOutcomeWithoutReceiveTimeIsTakenAsCurrent() {
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
