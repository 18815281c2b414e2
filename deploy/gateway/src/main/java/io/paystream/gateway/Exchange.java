package io.paystream.gateway;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One notification waiting for Kafka. It is answered exactly once: by the producer's callback
 * (success only if the record was acknowledged), by its deadline, or by shutdown; whichever comes
 * first wins, and a later acknowledgement never turns a failure answer into a success.
 */
final class Exchange {
    final GatewayHandler handler;
    final Endpoint endpoint;
    private final AtomicBoolean answered = new AtomicBoolean();
    volatile ScheduledFuture<?> deadline;

    Exchange(GatewayHandler handler, Endpoint endpoint) {
        this.handler = handler;
        this.endpoint = endpoint;
    }

    boolean unanswered() {
        return !answered.get();
    }

    /** The outcome: {@code error} null means Kafka acknowledged the record. Any thread. */
    void finish(Exception error, String failureReason) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        handler.answer(this, error, failureReason);
    }
}
