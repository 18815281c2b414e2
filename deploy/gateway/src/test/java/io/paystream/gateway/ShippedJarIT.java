package io.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.GatewayClient;
import io.paystream.channels.SimulatedChannels;
import io.paystream.servers.FreePorts;
import io.paystream.servers.KafkaServer;
import io.paystream.servers.SharedServers;
import io.paystream.servers.process.ServerProcess;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The jar this module ships ({@code -app.jar}, as {@code java -jar} runs it), not the classes on the
 * test's class path: a class the shade filter leaves out fails only there.
 *
 * <p>Found by the fault soak: the gateway began to read form parameters with the jobs' {@code Forms},
 * which the jar's filter did not include. Every Alipay and UnionPay notification then hit a {@code
 * NoClassDefFoundError} on the event loop, which closed the connection unanswered; the channels saw
 * end of stream and resent for ever, while every test on the class path passed.
 */
class ShippedJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyEndpointOfTheShippedJarPublishesUnderTheChannelsOwnNotificationId() throws Exception {
        KafkaServer kafka = SharedServers.kafka();
        String topic = "payment.callbacks.shipped-jar";
        kafka.createTopics(Map.of(topic, 1));
        SimulatedChannels channels = SimulatedChannels.generate();
        int port = FreePorts.pick(0);
        Path log = Path.of("target/shipped-jar-it/gateway.log");
        try (ServerProcess gateway = new ServerProcess(
                        "callback gateway",
                        List.of(
                                ServerProcess.javaExecutable(),
                                "-Xmx128m",
                                "-jar",
                                appJar().toString(),
                                "--kafka.bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--kafka.topic.callbacks",
                                topic,
                                "--gateway.host",
                                "127.0.0.1",
                                "--gateway.port",
                                String.valueOf(port),
                                "--gateway.trusted-proxies",
                                "127.0.0.1/32"),
                        log,
                        () -> accepts(port),
                        Duration.ofSeconds(60));
                Topic published = new Topic(kafka.bootstrapServers(), topic)) {
            gateway.start();
            GatewayClient client = new GatewayClient(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(10));
            Map<String, String> sentIds = new LinkedHashMap<>();
            List<String> refused = new ArrayList<>();
            for (CallbackEnvelope n : oneOfEach(channels)) {
                for (String path : endpointsOf(n.channel)) {
                    try {
                        GatewayClient.Answer answer = post(client, port, path, n);
                        if (!GatewayClient.delivered(n.channel, answer)) {
                            refused.add(path + ": " + answer);
                        }
                    } catch (IOException e) {
                        refused.add(path + ": no answer: " + e);
                    }
                    sentIds.merge(n.notifyId, path, (a, b) -> a + " " + b);
                }
            }
            assertThat(refused).as("refused (see %s)", log).isEmpty();

            int expected = (int) sentIds.values().stream()
                    .mapToLong(paths -> paths.split(" ").length)
                    .sum();
            List<ConsumerRecord<String, byte[]>> records =
                    published.readUntil(r -> r.size() >= expected, Duration.ofSeconds(30));
            assertThat(records)
                    .extracting(ConsumerRecord::key)
                    .as("keyed by the channel's own notification id, not a gateway-made one")
                    .containsOnlyElementsOf(sentIds.keySet())
                    .hasSize(expected);
            for (ConsumerRecord<String, byte[]> r : records) {
                assertThat(JSON.readTree(r.value()).path("notifyId").asText()).isEqualTo(r.key());
            }
        }
    }

    /** A genuine payment notification of each channel (UnionPay with both of its signature kinds). */
    private static List<CallbackEnvelope> oneOfEach(SimulatedChannels channels) {
        Instant now = Instant.now();
        List<CallbackEnvelope> out = new ArrayList<>();
        out.add(channels.wechat()
                .notification(
                        CallbackGatewayIT.facts(), now, SimulatedChannels.genuineAddress("WECHAT", 1), Forgery.NONE));
        out.add(channels.alipay()
                .notification(
                        CallbackGatewayIT.facts(), now, SimulatedChannels.genuineAddress("ALIPAY", 1), Forgery.NONE));
        for (boolean hmac : new boolean[] {false, true}) {
            out.add(channels.unionpay()
                    .notification(
                            CallbackGatewayIT.facts(),
                            now,
                            SimulatedChannels.genuineAddress("UNIONPAY", 1),
                            Forgery.NONE,
                            hmac));
        }
        return out;
    }

    /** Every endpoint a channel posts to; the gateway reads the id the same way on each. */
    private static List<String> endpointsOf(String channel) {
        List<String> paths = new ArrayList<>();
        for (Endpoint e : Endpoint.values()) {
            if (e.channel.name().equals(channel)) {
                paths.add(e.path);
            }
        }
        return paths;
    }

    private static GatewayClient.Answer post(GatewayClient client, int port, String path, CallbackEnvelope n)
            throws IOException, InterruptedException {
        if (path.equals(GatewayClient.path(n.channel))) {
            return client.post(n); // the channels' own client, as the sandbox and the soak use it
        }
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(n.body))
                .header("X-Forwarded-For", n.sourceAddress);
        n.headers.forEach(b::header);
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new GatewayClient.Answer(r.statusCode(), r.body());
    }

    private static Path appJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-app.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no -app.jar in target/: run this in 'mvn verify'"));
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
