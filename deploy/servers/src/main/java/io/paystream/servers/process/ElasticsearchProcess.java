package io.paystream.servers.process;

import io.paystream.servers.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Elasticsearch 7.10 node as its own JVM ({@link ElasticsearchMain}), with its data on disk:
 * it can be frozen ({@code SIGSTOP}: connections hang, as with a node in a long GC or a dead
 * network), killed and started again on the same data.
 */
public final class ElasticsearchProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ServerProcess process;
    private final int httpPort;

    private ElasticsearchProcess(ServerProcess process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    public static ElasticsearchProcess start(Path dir, int preferredHttpPort) {
        int httpPort = FreePorts.pick(preferredHttpPort);
        int transportPort = FreePorts.pick(0);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        List<String> command = new ArrayList<>(List.of(
                ServerProcess.javaExecutable(),
                "-Xms512m",
                "-Xmx1g",
                "-XX:+UseG1GC",
                "-da:org.elasticsearch...",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                ElasticsearchMain.class.getName(),
                dir.resolve("node").toString(),
                String.valueOf(httpPort),
                String.valueOf(transportPort)));
        ServerProcess process = new ServerProcess(
                "elasticsearch",
                command,
                dir.resolve("elasticsearch.log"),
                () -> healthy(httpPort),
                Duration.ofSeconds(120));
        process.start();
        return new ElasticsearchProcess(process, httpPort);
    }

    /** The cluster answers and is at least yellow (its shards can be written). */
    static boolean healthy(int httpPort) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                                    + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public void freeze() {
        process.freeze();
    }

    public void thaw() {
        process.thaw();
    }

    public void kill() {
        process.kill();
    }

    public void startAgain() {
        process.start();
    }

    public ServerProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
