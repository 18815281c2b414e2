package io.paystream.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.executiongraph.failover.ExponentialDelayRestartBackoffTimeStrategy;
import org.apache.flink.runtime.executiongraph.failover.RestartBackoffTimeStrategy;
import org.apache.flink.util.clock.Clock;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * The restart strategy every job gets (JobEnvironment), interpreted by Flink's own strategy class
 * on a manual clock: restarts in a row are bounded, incidents far apart are not. With the earlier
 * fixed-delay strategy a job failed for good at its eleventh incident over its whole life; the
 * fault soak's dozens of failures found it.
 */
class RestartStrategyTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void incidentsFarApartAreEachRestartedHoweverManyThereAre() throws Exception {
        RestartBackoffTimeStrategy strategy = strategy("--restart.attempts", "10");
        for (int incident = 1; incident <= 40; incident++) {
            clock.advanceTime(Duration.ofMinutes(11)); // longer than restart.reset-after (10 min)
            strategy.notifyFailure(new RuntimeException("incident " + incident));
            assertThat(strategy.canRestart())
                    .as("restart after incident %d", incident)
                    .isTrue();
            assertThat(strategy.getBackoffTime())
                    .as("a fresh incident waits restart.delay (1 s)")
                    .isEqualTo(1000);
        }
    }

    @Test
    void failuresInARowFailTheJobForGoodAfterRestartAttempts() throws Exception {
        RestartBackoffTimeStrategy strategy = strategy("--restart.attempts", "3");
        for (int failure = 1; failure <= 3; failure++) {
            clock.advanceTime(Duration.ofSeconds(30));
            strategy.notifyFailure(new RuntimeException("missing grant"));
            assertThat(strategy.canRestart()).as("restart %d of 3", failure).isTrue();
        }
        clock.advanceTime(Duration.ofSeconds(30));
        strategy.notifyFailure(new RuntimeException("missing grant"));
        assertThat(strategy.canRestart()).as("the fourth failure in a row").isFalse();
    }

    @Test
    void theDelayDoublesFromRestartDelayUpToAMinute() throws Exception {
        RestartBackoffTimeStrategy strategy = strategy("--restart.attempts", "20", "--restart.delay", "5 s");
        long[] expected = {5_000, 10_000, 20_000, 40_000, 60_000, 60_000};
        for (long delay : expected) {
            strategy.notifyFailure(new RuntimeException("Kafka away"));
            assertThat(strategy.getBackoffTime()).isEqualTo(delay);
            // Restarted after the delay, the job fails again a second later.
            clock.advanceTime(Duration.ofMillis(delay + 1000));
        }
    }

    @Test
    void noRestartAttemptsMeansNoRestartStrategyAtAll() {
        // Flink's exponential-delay strategy refuses zero attempts; the job must still start.
        Settings settings = Settings.load(
                new String[] {"--restart.attempts", "0"},
                Map.of(),
                PaystreamOptions.declaredIn(PaystreamOptions.class));
        assertThat(JobEnvironment.restartStrategy(settings).get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("none");
    }

    /** Flink's exponential-delay strategy built from JobEnvironment's configuration, on the test's clock. */
    private RestartBackoffTimeStrategy strategy(String... args) throws Exception {
        Settings settings = Settings.load(args, Map.of(), PaystreamOptions.declaredIn(PaystreamOptions.class));
        Configuration conf = JobEnvironment.restartStrategy(settings);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        // The clock-taking constructor is package-private in Flink; the values are the configuration's.
        Constructor<ExponentialDelayRestartBackoffTimeStrategy> c =
                ExponentialDelayRestartBackoffTimeStrategy.class.getDeclaredConstructor(
                        Clock.class, long.class, long.class, double.class, long.class, double.class, int.class);
        c.setAccessible(true);
        return c.newInstance(
                clock,
                conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF)
                        .toMillis(),
                conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF)
                        .toMillis(),
                conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER),
                conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD)
                        .toMillis(),
                conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR),
                conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS));
    }
}
