package io.paystream.jobs.cdc;

import com.mysql.cj.jdbc.AbandonedConnectionCleanupThread;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Enumeration;
import org.apache.flink.util.FlinkUserCodeClassLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of what the MySQL JDBC driver bundled in the job jar leaves in JVM-wide places, so that
 * the job's class loader can be collected when the job is gone from a JobManager or TaskManager.
 *
 * <p>Found on {@code deploy/cluster} (heap dump of a TaskManager after three generations of the
 * three jobs, every path from a GC root to a stopped job's {@code ChildFirstClassLoader}): each
 * load of the jar initialised its own copy of Connector/J, which (1) starts the daemon thread
 * {@code mysql-cj-abandoned-connection-cleanup} ({@link AbandonedConnectionCleanupThread}), whose
 * context class loader, runnable and inherited access control context are the job's class loader,
 * and (2) registers its {@code com.mysql.cj.jdbc.Driver} with {@link DriverManager}, a JDK class
 * that keeps it forever. Either alone kept every generation's loader, about 35 MB of metaspace on
 * the TaskManager, until it died of {@code OutOfMemoryError: Metaspace}; the JobManager, whose CDC
 * split enumerator uses the driver too, kept them as well. Nothing else held them.
 *
 * <p>Only a driver defined by the same Flink user-code class loader as paystream itself (the job
 * jar, child-first: the default) is touched. A driver the cluster provides ({@code lib/} with
 * {@code classloader.parent-first-patterns.additional: com.mysql.cj}, as in the sandbox's own
 * cluster, or a test's class path) is shared by every job and is left alone.
 */
public final class MySqlDriverRelease {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlDriverRelease.class);

    /** Name of the release hook on the TaskManager (one per class loader, see {@code registerReleaseHookIfAbsent}). */
    public static final String HOOK = "paystream-mysql-driver";

    /**
     * Resolved when this class is initialised ({@link #prepare()}), not when {@link #release()}
     * runs: on the JobManager the job's class loader is closed while the enumerator closes, and a
     * closed loader finds only the classes it had already loaded (seen: the release failed with
     * NoClassDefFoundError for this very class).
     */
    private static final Class<?> CLEANUP_THREAD = AbandonedConnectionCleanupThread.class;

    private MySqlDriverRelease() {}

    /** Loads this class while the job's class loader is open; {@link #release()} may run after it closed. */
    public static void prepare() {}

    /**
     * Stops the driver's cleanup thread and deregisters its drivers from {@link DriverManager}, if
     * the driver belongs to this job jar's class loader; does nothing otherwise. Safe to call more
     * than once. A connection opened afterwards in the same class loader still works (Hikari then
     * instantiates the driver itself, and abandoned connections are no longer tracked).
     */
    public static void release() {
        ClassLoader own = MySqlDriverRelease.class.getClassLoader();
        if (!(own instanceof FlinkUserCodeClassLoader)) {
            return; // paystream is on the JVM's class path (tests, the sandbox's jobs): nothing is per job
        }
        try {
            releaseFrom(own);
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("Could not release the job jar's MySQL driver; its class loader may stay in memory", e);
        }
    }

    private static void releaseFrom(ClassLoader own) {
        int deregistered = 0;
        // DriverManager shows (and lets deregister) only the drivers this class's loader can see.
        Enumeration<Driver> drivers = DriverManager.getDrivers();
        while (drivers.hasMoreElements()) {
            Driver driver = drivers.nextElement();
            if (driver.getClass().getClassLoader() == own) {
                try {
                    DriverManager.deregisterDriver(driver);
                    deregistered++;
                } catch (SQLException | RuntimeException e) {
                    LOG.warn(
                            "Could not deregister the JDBC driver {}",
                            driver.getClass().getName(),
                            e);
                }
            }
        }
        // A registered driver means Connector/J was initialised in this loader, and with it the
        // cleanup thread (NonRegisteringDriver's static initialiser); without one, touching the
        // thread's class would start the thread.
        boolean ownCleanupThread = CLEANUP_THREAD.getClassLoader() == own && deregistered > 0;
        if (ownCleanupThread) {
            // unchecked: checkedShutdown() refuses unless the calling thread's context class loader
            // is the driver's, which a release hook's thread does not promise.
            AbandonedConnectionCleanupThread.uncheckedShutdown();
        }
        LOG.info(
                "Released the job jar's MySQL driver: {} driver(s) deregistered, cleanup thread {}",
                deregistered,
                ownCleanupThread ? "stopped" : "not running in the job's loader");
    }
}
