package io.paystream.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One instance of each server per test JVM, started on first use on free ports and stopped by a
 * shutdown hook. Test classes share them and keep apart by their own topics, indices, keys and rows.
 * Each server has its own lock, so a test that asks for several from different threads starts them
 * side by side (one server's start does not wait for another's).
 */
public final class SharedServers {
    private static final Object MARIADB_LOCK = new Object();
    private static final Object KAFKA_LOCK = new Object();
    private static final Object ELASTICSEARCH_LOCK = new Object();
    private static final Object REDIS_LOCK = new Object();
    private static final Object DIR_LOCK = new Object();

    private static volatile MariaDbServer mariaDb;
    private static volatile KafkaServer kafka;
    private static volatile ElasticsearchServer elasticsearch;
    private static volatile RedisServer redis;
    private static volatile Path workDir;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedServers::stopAll, "shared-servers-stop"));
    }

    private SharedServers() {}

    public static MariaDbServer mariaDb() {
        synchronized (MARIADB_LOCK) {
            if (mariaDb == null) {
                mariaDb = MariaDbServer.start(
                        dir("mariadb"), 0, LocalServers.randomSecret(), LocalServers.randomSecret());
            }
            return mariaDb;
        }
    }

    public static KafkaServer kafka() {
        synchronized (KAFKA_LOCK) {
            if (kafka == null) {
                kafka = KafkaServer.start();
            }
            return kafka;
        }
    }

    public static ElasticsearchServer elasticsearch() {
        synchronized (ELASTICSEARCH_LOCK) {
            if (elasticsearch == null) {
                elasticsearch = ElasticsearchServer.start(dir("elasticsearch"), 0);
            }
            return elasticsearch;
        }
    }

    public static RedisServer redis() {
        synchronized (REDIS_LOCK) {
            if (redis == null) {
                redis = RedisServer.start(0);
            }
            return redis;
        }
    }

    private static Path dir(String name) {
        try {
            synchronized (DIR_LOCK) {
                if (workDir == null) {
                    workDir = Files.createTempDirectory("paystream-servers-");
                }
            }
            return Files.createDirectories(workDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** At JVM exit; a server another thread is starting then is stopped once it has started. */
    private static void stopAll() {
        stop(REDIS_LOCK, () -> redis);
        stop(ELASTICSEARCH_LOCK, () -> elasticsearch);
        stop(KAFKA_LOCK, () -> kafka);
        stop(MARIADB_LOCK, () -> mariaDb);
        ScratchDirectories.deleteRecursively(workDir);
    }

    private static void stop(Object lock, Supplier<AutoCloseable> server) {
        synchronized (lock) {
            AutoCloseable c = server.get();
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort at JVM exit
                }
            }
        }
    }
}
