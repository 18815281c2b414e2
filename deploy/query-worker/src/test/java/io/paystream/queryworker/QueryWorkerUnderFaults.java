package io.paystream.queryworker;

import static io.paystream.queryworker.WorkerHarness.EMULATORS;
import static io.paystream.queryworker.WorkerHarness.await;
import static io.paystream.queryworker.WorkerHarness.command;
import static io.paystream.queryworker.WorkerHarness.paid;
import static io.paystream.queryworker.WorkerHarness.readAtLeast;
import static io.paystream.queryworker.WorkerHarness.verified;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.PaymentFacts;
import io.paystream.channels.QueryFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The worker-under-faults figure (README "Query worker"): answers/s through the whole path (Kafka
 * in, HTTP query, signed answer out with acks=all, offsets committed) with no faults, with WeChat Pay
 * not answering 20% of queries, and with Alipay rate limiting below the worker's own rate (and
 * above it). Not part of the default build (no *IT/*Test name); run it by hand:
 *
 * <pre>
 * mvn -B -o verify -pl deploy/query-worker -am -Dit.test=QueryWorkerUnderFaults -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false [-Dbench.commands=1500]
 * </pre>
 */
class QueryWorkerUnderFaults {
    private static final int COMMANDS = Integer.getInteger("bench.commands", 1500);
    private final StringBuilder table = new StringBuilder();

    @Test
    void answersPerSecondUnderFaults() throws Exception {
        run("warm-up (not a figure)", Map.of(), () -> {});
        table.setLength(0);
        table.append(String.format(
                "| scenario | commands | seconds | answers/s | gave up (DLQ) | retries | rate-limited answers"
                        + " | timeouts | connection errors / 5xx |%n"));
        table.append("|---|---|---|---|---|---|---|---|---|\n");
        run("no faults (each channel's rate 1000/s)", Map.of(), () -> {});
        run(
                "WeChat Pay does not answer 20% of queries (timeout 1 s)",
                Map.of("query.request-timeout", "1s"),
                () -> EMULATORS
                        .wechat()
                        .faults((id, n) ->
                                ThreadLocalRandom.current().nextDouble() < 0.2 ? QueryFault.TIMEOUT : QueryFault.NONE));
        run(
                "Alipay limits to 20/s, worker's Alipay rate 1000/s (above it)",
                Map.of("query.max-attempts", "30"),
                () -> EMULATORS.alipay().rateLimit(20));
        run(
                "Alipay limits to 20/s, worker's Alipay rate 18/s (below it)",
                Map.of("query.rate.alipay", "18", "query.rate.burst", "1", "query.max-attempts", "30"),
                () -> EMULATORS.alipay().rateLimit(20));
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        System.out.println("\nQUERY WORKER UNDER FAULTS (" + COMMANDS
                + " commands each, a third per channel; load average " + load + ")\n" + table);
    }

    private void run(String scenario, Map<String, String> overrides, Runnable faults) {
        WorkerHarness h = new WorkerHarness("bench", 4);
        faults.run();
        List<String[]> commands = new ArrayList<>();
        String[] channels = {"WECHAT", "ALIPAY", "UNIONPAY"};
        for (int i = 0; i < COMMANDS; i++) {
            PaymentFacts f = paid(h.payment("b" + i), 100 + i, "SUCCESS");
            commands.add(new String[] {f.paymentId(), command(f.paymentId(), channels[i % 3], 1)});
        }
        try (QueryWorker worker = h.start(overrides)) {
            long t0 = System.nanoTime();
            h.send(commands);
            await(
                    scenario,
                    Duration.ofMinutes(10),
                    // each command ends answered, or in the DLQ after query.max-attempts
                    () -> worker.metrics().counterTotal("answers_published_total")
                                    + worker.metrics().counterTotal("dlq_total")
                            >= COMMANDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Metrics m = worker.metrics();
            table.append(String.format(
                    "| %s | %d | %.1f | **%.0f** | %d | %d | %d | %d | %d |%n",
                    scenario,
                    COMMANDS,
                    seconds,
                    m.counterTotal("answers_published_total") / seconds,
                    m.counterTotal("dlq_total"),
                    m.counterTotal("retries_total"),
                    m.counterTotal("rate_limited_total"),
                    m.counter("queries_total", "channel=\"WECHAT\",outcome=\"timeout\""),
                    m.counter("queries_total", "channel=\"WECHAT\",outcome=\"server_error\"")
                            + m.counter("queries_total", "channel=\"ALIPAY\",outcome=\"server_error\"")
                            + m.counter("queries_total", "channel=\"UNIONPAY\",outcome=\"server_error\"")));
            int answered = (int) m.counterTotal("answers_published_total");
            assertThat(verified(readAtLeast(h.results, answered))).hasSize(answered);
        } finally {
            EMULATORS.wechat().faults((id, n) -> QueryFault.NONE);
            EMULATORS.alipay().rateLimit(0);
        }
    }
}
