package io.paystream.jobs.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.AbandonedConnectionCleanupThread;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.sql.DriverManager;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.util.FlinkUserCodeClassLoaders;
import org.apache.flink.util.MutableURLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The job jar's MySQL driver in a Flink child-first user-code class loader, as a TaskManager or
 * JobManager loads it: the loader stays reachable after it is closed (the leak seen on {@code
 * deploy/cluster}) until {@link MySqlDriverRelease#release()} runs in it; then it is collected. A
 * driver on the JVM's own class path is left alone.
 */
class MySqlDriverReleaseTest {

    @Test
    void aUserCodeClassLoaderIsCollectedOnlyAfterTheReleaseOfItsDriver() throws Exception {
        URL jobClasses =
                MySqlDriverRelease.class.getProtectionDomain().getCodeSource().getLocation();
        URL driverJar = AbandonedConnectionCleanupThread.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation();
        MutableURLClassLoader loader = FlinkUserCodeClassLoaders.childFirst(
                new URL[] {jobClasses, driverJar},
                getClass().getClassLoader(),
                CoreOptions.getParentFirstLoaderPatterns(new Configuration()),
                t -> {},
                false);
        // What the CDC source does in the job: the driver is initialised (cleanup thread started,
        // driver registered with DriverManager), from the job's own copy.
        Class<?> driver = Class.forName("com.mysql.cj.jdbc.Driver", true, loader);
        assertThat(driver.getClassLoader()).isSameAs(loader);
        Class<?> release = Class.forName(MySqlDriverRelease.class.getName(), true, loader);
        assertThat(release).isNotSameAs(MySqlDriverRelease.class);

        WeakReference<ClassLoader> ref = new WeakReference<>(loader);
        loader.close(); // as Flink does when the job is gone
        loader = null;
        driver = null;
        assertThat(collected(ref, Duration.ofSeconds(3)))
                .as("without the release the driver keeps the closed loader")
                .isFalse();

        // The release, as the TaskManager's hook or the JobManager's enumerator runs it (after
        // the loader was closed: the JobManager's case).
        release.getMethod("release").invoke(null);
        release = null;
        assertThat(collected(ref, Duration.ofSeconds(30)))
                .as("after the release nothing keeps the loader")
                .isTrue();
    }

    @Test
    void aDriverOnTheJvmClassPathIsLeftAlone() throws Exception {
        Class.forName("com.mysql.cj.jdbc.Driver");
        MySqlDriverRelease.release();
        assertThat(DriverManager.getDriver("jdbc:mysql://localhost:3306/shop"))
                .as("still registered")
                .isNotNull();
        assertThat(AbandonedConnectionCleanupThread.isAlive())
                .as("cleanup thread still running")
                .isTrue();
    }

    private static boolean collected(WeakReference<ClassLoader> ref, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            System.gc();
            if (ref.get() == null) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
