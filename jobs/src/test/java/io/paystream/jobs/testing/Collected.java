package io.paystream.jobs.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * What a running job emitted on one stream, gathered by a background reader so a test can wait for
 * a condition with a deadline while the job keeps running.
 */
public final class Collected<T> implements AutoCloseable {
    private final List<T> items = new CopyOnWriteArrayList<>();
    private final CloseableIterator<T> iterator;
    private final JobClient job;
    private final Thread reader;

    private Collected(CloseableIterator<T> iterator, JobClient job) {
        this.iterator = iterator;
        this.job = job;
        this.reader = new Thread(
                () -> {
                    try {
                        while (iterator.hasNext()) {
                            items.add(iterator.next());
                        }
                    } catch (Exception e) {
                        // the job was cancelled: nothing more to gather
                    }
                },
                "collected-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the job and gathers {@code stream}. */
    public static <T> Collected<T> start(StreamExecutionEnvironment env, DataStream<T> stream, String jobName)
            throws Exception {
        CloseableIterator<T> it = stream.collectAsync();
        JobClient job = env.executeAsync(jobName);
        return new Collected<>(it, job);
    }

    public List<T> items() {
        return new ArrayList<>(items);
    }

    public JobClient job() {
        return job;
    }

    /** Waits until at least {@code n} gathered items match, and returns the matching ones. */
    public List<T> await(String what, int n, Duration timeout, Predicate<T> filter) {
        Eventually.await(what, timeout, () -> items.stream().filter(filter).count() >= n);
        List<T> out = new ArrayList<>();
        for (T t : items) {
            if (filter.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            job.cancel().get();
        } catch (Exception e) {
            // already finished or failed
        }
        iterator.close();
    }
}
