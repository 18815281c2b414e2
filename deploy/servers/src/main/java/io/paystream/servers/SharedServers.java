package io.paystream.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One instance of each server per test JVM, started on first use on free ports and stopped by a
 * shutdown hook. Test classes share them and keep apart by their own topics, indices, keys and rows.
 */
public final class SharedServers {
    private static MariaDbServer mariaDb;
    private static KafkaServer kafka;
    private static ElasticsearchServer elasticsearch;
    private static RedisServer redis;
    private static Path workDir;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedServers::stopAll, "shared-servers-stop"));
    }

    private SharedServers() {}

    public static synchronized MariaDbServer mariaDb() {
        if (mariaDb == null) {
            mariaDb = MariaDbServer.start(dir("mariadb"), 0, LocalServers.randomSecret(), LocalServers.randomSecret());
        }
        return mariaDb;
    }

    public static synchronized KafkaServer kafka() {
        if (kafka == null) {
            kafka = KafkaServer.start();
        }
        return kafka;
    }

    public static synchronized ElasticsearchServer elasticsearch() {
        if (elasticsearch == null) {
            elasticsearch = ElasticsearchServer.start(dir("elasticsearch"), 0);
        }
        return elasticsearch;
    }

    public static synchronized RedisServer redis() {
        if (redis == null) {
            redis = RedisServer.start(0);
        }
        return redis;
    }

    private static Path dir(String name) {
        try {
            if (workDir == null) {
                workDir = Files.createTempDirectory("paystream-servers-");
            }
            return Files.createDirectories(workDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {redis, elasticsearch, kafka, mariaDb}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort at JVM exit
                }
            }
        }
        ScratchDirectories.deleteRecursively(workDir);
    }
}
