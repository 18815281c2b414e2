package io.paystream.jobs.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Every paystream job, in the order the sandbox starts them: the ones listed in
 * {@code META-INF/services/io.paystream.jobs.runtime.PaystreamJob}. A service list, not imports,
 * so that the runtime (which needs every job's setting keys) does not depend on the jobs that
 * depend on it. A new job adds its class to that file.
 */
public final class PaystreamJobs {
    private PaystreamJobs() {}

    public static List<PaystreamJob<?, ?>> all() {
        List<PaystreamJob<?, ?>> jobs = new ArrayList<>();
        for (PaystreamJob<?, ?> job : ServiceLoader.load(PaystreamJob.class, PaystreamJob.class.getClassLoader())) {
            jobs.add(job);
        }
        if (jobs.isEmpty()) {
            throw new IllegalStateException("no paystream job found: META-INF/services/" + PaystreamJob.class.getName()
                    + " is not on the classpath");
        }
        return jobs;
    }

    public static PaystreamJob<?, ?> named(String name) {
        for (PaystreamJob<?, ?> j : all()) {
            if (j.name().equals(name)) {
                return j;
            }
        }
        throw new IllegalArgumentException("no paystream job named '" + name + "'; jobs: "
                + all().stream().map(PaystreamJob::name).toList());
    }
}
