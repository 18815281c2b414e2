package io.paystream.sandbox.edges;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.servers.FreePorts;
import io.paystream.servers.process.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The callback gateway ({@code deploy/gateway}) as its own process, from the jar its module builds,
 * as a shop runs it behind nginx: loopback is its trusted proxy, so the simulated channels' own
 * addresses (in {@code X-Forwarded-For}) are what the jobs' allowlists check. Its own JVM also keeps
 * its Netty 4.2 away from the sandbox's in-process Elasticsearch (Netty 4.1).
 */
public final class GatewayProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ServerProcess process;
    private final URI base;

    private GatewayProcess(ServerProcess process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts the gateway publishing to {@code topic} and waits until it answers its health check. */
    public static GatewayProcess start(Path root, Path work, String bootstrapServers, String topic) {
        int port = FreePorts.pick(0);
        URI base = URI.create("http://127.0.0.1:" + port);
        List<String> command = List.of(
                ServerProcess.javaExecutable(),
                "-Xms64m",
                "-Xmx256m",
                "-jar",
                appJar(root).toString(),
                "--kafka.bootstrap-servers",
                bootstrapServers,
                "--kafka.topic.callbacks",
                topic,
                "--gateway.host",
                "127.0.0.1",
                "--gateway.port",
                String.valueOf(port),
                "--gateway.trusted-proxies",
                "127.0.0.1/32");
        ServerProcess process = new ServerProcess(
                "callback gateway",
                command,
                work.resolve("gateway/gateway.log"),
                () -> health(base) != null,
                Duration.ofSeconds(60));
        process.start();
        return new GatewayProcess(process, base);
    }

    /** The jar {@code deploy/gateway} builds ({@code mvn package}); the sandbox's build makes it. */
    static Path appJar(Path root) {
        Path target = root.resolve("deploy/gateway/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-app.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no callback gateway jar in " + target + ": build it with 'mvn -B package -DskipTests'"));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no callback gateway jar in " + target + ": build it with 'mvn -B package -DskipTests'", e);
        }
    }

    public URI base() {
        return base;
    }

    /** For the status line: what the gateway published and failed to publish. */
    public String counters() {
        JsonNode h = health(base);
        if (h == null) {
            return "gateway: not answering";
        }
        return String.format(
                "gateway: published %d, failed %d, in flight %d",
                h.path("published").asLong(),
                h.path("failed").asLong(),
                h.path("inFlight").asLong());
    }

    private static JsonNode health(URI base) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(base.resolve("/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        process.close(); // SIGTERM: the gateway answers what is in flight, then flushes its producer
    }
}
