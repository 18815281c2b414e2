package io.paystream.sandbox.traffic;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated payment center's record of when each payment's current attempt began. A user may
 * try a failed payment again (the same payment goes PAYING once more); an outcome whose statement
 * reached the shop before that moment ({@code receivedAt} of payment.results) belongs to the earlier
 * attempt and must not close the new one.
 *
 * <p>Found by the fault soak: the FAILED result of a first attempt reached the payment center
 * (read_committed, so after a checkpoint) just after the user's retry had reopened the payment.
 * Applied, it set the retry FAILED; the retry then succeeded at the channel with its notification
 * lost, and nothing ever queried a payment the shop believed failed. Found again (seed 11) when this
 * compared paystream's {@code verifiedAt}: with the job lagging after a fault, a CLOSED received
 * before the retry was verified after it, and closed the paid retry.
 */
final class PaymentAttempts {
    private final Map<String, Instant> currentSince = new ConcurrentHashMap<>();

    /**
     * A new attempt of the payment begins now. Called before the payment row goes PAYING again, so
     * that a stale outcome applied concurrently is already refused.
     *
     * @return the previous attempt's start, or null, for {@link #retryRefused}
     */
    Instant beginRetry(String paymentId, Instant now) {
        return currentSince.put(paymentId, now);
    }

    /** The retry did not begin after all: the earlier attempt (or none) is current again. */
    void retryRefused(String paymentId, Instant previous) {
        if (previous == null) {
            currentSince.remove(paymentId);
        } else {
            currentSince.put(paymentId, previous);
        }
    }

    /**
     * Whether an outcome whose channel statement reached the shop at {@code receivedAt} may close
     * the payment's current attempt. An outcome with no such time is taken as current.
     */
    boolean belongsToCurrentAttempt(String paymentId, Instant receivedAt) {
        Instant since = currentSince.get(paymentId);
        return since == null || receivedAt == null || !receivedAt.isBefore(since);
    }
}
