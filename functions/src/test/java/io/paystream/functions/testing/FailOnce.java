package io.paystream.functions.testing;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * The one failure injector of the tests: a pass-through map that throws once, on the first
 * record matching its trigger, so the job restarts from its last checkpoint and replays. Whether
 * it fired is kept per name in this JVM (a MiniCluster runs the job in the test's JVM), so a test
 * can check that the failure really happened.
 */
public class FailOnce<T> implements MapFunction<T, T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicBoolean> FIRED = new ConcurrentHashMap<>();

    private final String name;
    private final Trigger<T> trigger;

    public FailOnce(String name, Trigger<T> trigger) {
        this.name = name;
        this.trigger = trigger;
    }

    /** Arms the injector {@code name} again (before a job run). */
    public static void arm(String name) {
        flag(name).set(false);
    }

    /** The injector {@code name} has failed its job. */
    public static boolean hasFailed(String name) {
        return flag(name).get();
    }

    /** Which record fails the job. */
    @FunctionalInterface
    public interface Trigger<T> extends Predicate<T>, Serializable {}

    @Override
    public T map(T value) {
        if (trigger.test(value) && flag(name).compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure (" + name + ")");
        }
        return value;
    }

    private static AtomicBoolean flag(String name) {
        return FIRED.computeIfAbsent(name, n -> new AtomicBoolean());
    }
}
