package io.paystream.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

/**
 * Emits 0..n-1 across its subtasks, then stays open (so processing-time timers keep firing) until
 * {@link #STOP} is set. Counts what it emitted in {@link #EMITTED}. Benchmarks run in one JVM.
 */
final class HoldingSequence extends RichParallelSourceFunction<Long> {
    static final AtomicBoolean STOP = new AtomicBoolean();
    static final AtomicLong EMITTED = new AtomicLong();

    private final long n;
    private volatile boolean running = true;

    HoldingSequence(long n) {
        this.n = n;
    }

    @Override
    public void run(SourceContext<Long> ctx) {
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        for (long i = me; i < n && running; i += subtasks) {
            synchronized (ctx.getCheckpointLock()) {
                ctx.collect(i);
            }
            EMITTED.incrementAndGet();
        }
        while (running && !STOP.get()) {
            LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
