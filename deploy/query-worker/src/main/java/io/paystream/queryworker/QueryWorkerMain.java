package io.paystream.queryworker;

import java.util.concurrent.CountDownLatch;

/**
 * The query worker as its own process: {@code deploy/query-worker/run [--config FILE] [--key value ...]}
 * (settings also from {@code PAYSTREAM_*} variables). Stops gracefully on SIGTERM/Ctrl-C. Exit code
 * 2 for invalid settings (every problem printed, secrets never), 1 if the worker failed.
 */
public final class QueryWorkerMain {
    private QueryWorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        WorkerSettings settings;
        try {
            settings = WorkerSettings.load(args, System.getenv());
        } catch (WorkerSettings.InvalidSettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        QueryWorker worker;
        try {
            worker = QueryWorker.start(settings);
        } catch (WorkerSettings.InvalidSettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            worker.close();
                            done.countDown();
                        },
                        "query-worker-shutdown"));
        while (!worker.failed()) {
            if (done.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                return;
            }
        }
        System.err.println("query worker failed; see the log");
        System.exit(1);
    }
}
