package io.paystream.functions;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;

/**
 * Holds a keyed function's deadlines for a short grace after a restore, so that the input the
 * sources replay from the checkpoint is in before a deadline concludes anything.
 *
 * <p>Why: a deadline that passed while the job was down is an overdue processing-time timer, and
 * Flink fires it as soon as the operator is open, before the sources have replayed what came after
 * the checkpoint (a query answer, a notification, a row). Without a grace, a refund whose answer
 * came after the last checkpoint but before its {@code LOST_REFUND} deadline gets both its outcome
 * and the alert, a false alarm; a payment's {@code LOST_PAYMENT_EXTERNAL} the same, and an overdue
 * re-query goes out for an outcome already on its way. Within the grace a due deadline is moved to
 * the grace's end (one timer per key); there it is judged again against the state the replay left,
 * and acts as before when nothing changed it, so no deadline is lost, only late by the grace, once.
 *
 * <p>The restart is what Flink tells the function ({@code CheckpointedFunction#initializeState}'s
 * {@code isRestored()}); the grace runs from the operator's open, on the same processing-time
 * clock as its timers. A fresh start has no state and so no overdue deadlines: nothing is held.
 * Not serializable on purpose: it lives in a transient field, made anew at each open.
 */
public final class RestoreGrace {
    private enum Phase {
        /** Restored, and the grace has not passed yet: due deadlines wait for its end. */
        HOLDING,
        /** Started without restored state, or the grace has passed: deadlines act when due. */
        RUNNING
    }

    private Phase phase;
    /** The grace's end, processing time; meaningful while {@link Phase#HOLDING}. */
    private final long endsAt;

    private RestoreGrace(Phase phase, long endsAt) {
        this.phase = phase;
        this.endsAt = endsAt;
    }

    /**
     * The grace of a function opening now: {@code graceMs} from the operator's current processing
     * time when its state was {@code restored}, none otherwise (or with a zero grace).
     */
    public static RestoreGrace opening(RuntimeContext context, boolean restored, long graceMs) {
        if (!restored || graceMs == 0) {
            return new RestoreGrace(Phase.RUNNING, 0);
        }
        if (!(context instanceof StreamingRuntimeContext streaming)) {
            throw new IllegalStateException("a restore grace needs a streaming operator's clock, got " + context);
        }
        long now = streaming.getProcessingTimeService().getCurrentProcessingTime();
        return new RestoreGrace(Phase.HOLDING, now + graceMs);
    }

    /**
     * Whether a deadline that is due now must wait: within the grace it does, and a timer at the
     * grace's end ({@link #endsAt()}) brings it back; registering the same time again for another
     * deadline of the key is the same one timer. After the grace, never again until the next open.
     */
    public boolean defers(TimerService timers) {
        if (phase == Phase.HOLDING) {
            if (timers.currentProcessingTime() < endsAt) {
                timers.registerProcessingTimeTimer(endsAt);
                return true;
            }
            phase = Phase.RUNNING;
        }
        return false;
    }

    /** The grace's end: where {@link #defers} moved a deadline when it returned true. */
    public long endsAt() {
        return endsAt;
    }
}
