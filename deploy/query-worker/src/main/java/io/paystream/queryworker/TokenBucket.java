package io.paystream.queryworker;

/**
 * A token bucket that hands out reservations: {@link #reserve()} takes a token now or books the
 * next one and says how long to wait for it, so callers wait on a scheduler instead of a thread.
 * Over any window the permits granted are at most {@code burst + rate × window}.
 */
final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long updatedNanos;

    TokenBucket(double perSecond, int burst) {
        this.ratePerNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.updatedNanos = System.nanoTime();
    }

    /** Takes one permit; returns the nanoseconds to wait before using it (0: now). */
    synchronized long reserve() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - updatedNanos) * ratePerNano);
        updatedNanos = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerNano);
    }
}
