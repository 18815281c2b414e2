package io.paystream.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/sandbox as a newcomer runs it: it starts, shows traffic, answers on its endpoints, and
 * Ctrl-C stops it leaving no server behind.
 */
class SandboxIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDERS = Pattern.compile("traffic: orders (\\d+)");

    @Test
    void startsShowsTrafficAndStopsOnCtrlCLeavingNoProcessBehind() throws Exception {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("sandbox-it");
        Path endpointsFile = work.resolve("endpoints.json");
        ProcessBuilder pb = new ProcessBuilder(
                        root.resolve("deploy/sandbox").toString(),
                        "--work-dir",
                        work.resolve("sandbox").toString(),
                        "--endpoints-file",
                        endpointsFile.toString(),
                        "--flink-port",
                        "0",
                        "--status-every",
                        "2",
                        "--rate",
                        "10")
                .redirectErrorStream(true);
        pb.environment().put("PAYSTREAM_SANDBOX_NO_BUILD", "1"); // the reactor build just made it
        Process sandbox = pb.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            awaitLine(output, sandbox, Duration.ofMinutes(4), line -> {
                Matcher m = ORDERS.matcher(line);
                return m.find() && Long.parseLong(m.group(1)) > 0;
            });

            JsonNode endpoints = JSON.readTree(endpointsFile.toFile());
            for (String key : List.of(
                    "mysql.jdbc-url", "kafka.bootstrap-servers", "elasticsearch.url", "redis.uri", "flink.web-ui")) {
                assertThat(endpoints.path(key).asText()).as(key).isNotEmpty();
            }
            assertThat(String.join("\n", output))
                    .contains("Flink web UI")
                    .contains("Kafka bootstrap")
                    .contains("Redis");
            HttpClient http = HttpClient.newHttpClient();
            String overview = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            endpoints.get("flink.web-ui").asText() + "/overview"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(overview).contains("flink-version");
            String es = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            endpoints.get("elasticsearch.url").asText()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(es).contains("\"number\" : \"7.10.2\"");

            List<InetSocketAddress> ports = new ArrayList<>();
            ports.add(new InetSocketAddress(
                    "127.0.0.1", endpoints.get("mysql.port").asInt()));
            ports.add(new InetSocketAddress(
                    "127.0.0.1", URI.create(endpoints.get("redis.uri").asText()).getPort()));
            ports.add(new InetSocketAddress(
                    "127.0.0.1",
                    URI.create(endpoints.get("flink.web-ui").asText()).getPort()));
            for (InetSocketAddress a : ports) {
                assertThat(listening(a)).as("listening on " + a).isTrue();
            }

            // Ctrl-C
            new ProcessBuilder("kill", "-INT", String.valueOf(sandbox.pid()))
                    .start()
                    .waitFor();
            assertThat(sandbox.waitFor(90, TimeUnit.SECONDS))
                    .as("sandbox exits after Ctrl-C")
                    .isTrue();
            reader.join(30_000);
            assertThat(output)
                    .as("exit " + sandbox.exitValue() + ", output:\n" + String.join("\n", output))
                    .contains("sandbox: stopped");
            for (InetSocketAddress a : ports) {
                assertThat(listening(a)).as("nothing left listening on " + a).isFalse();
            }
            assertThat(processesMentioning(work.toString()))
                    .as("no process left behind")
                    .isEmpty();
        } finally {
            if (sandbox.isAlive()) {
                sandbox.destroyForcibly();
            }
        }
    }

    private static void awaitLine(List<String> output, Process p, Duration timeout, Predicate<String> match) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (output.stream().noneMatch(match)) {
            if (!p.isAlive()) {
                throw new AssertionError("sandbox exited early:\n" + String.join("\n", output));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no traffic shown within " + timeout + ":\n" + String.join("\n", output));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static boolean listening(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> processesMentioning(String text) throws Exception {
        List<String> found = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains(text)) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (Exception ignored) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }
}
