package io.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.callbacks.Verdict;
import io.paystream.servers.KafkaServer;
import io.paystream.servers.SharedServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway on a real Kafka broker (shared in this JVM), fed over real HTTP with genuine
 * notifications of the simulated channels; what it publishes is checked byte for byte and by the
 * payments job's own verifier.
 */
class CallbackGatewayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final AtomicInteger PAYMENTS = new AtomicInteger();
    private static SimulatedChannels channels;
    private static Verifier verifier;
    private static KafkaServer kafka;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        channels = SimulatedChannels.generate();
        verifier = new Verifier(channels);
        kafka = SharedServers.kafka();
    }

    @org.junit.jupiter.api.AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private String newTopic() {
        String topic = "payment.callbacks.it" + TOPICS.incrementAndGet();
        kafka.createTopics(Map.of(topic, 2));
        return topic;
    }

    private CallbackGateway gateway(String topic, String... settings) {
        return gatewayOn(kafka.bootstrapServers(), topic, settings);
    }

    private CallbackGateway gatewayOn(String bootstrap, String topic, String... settings) {
        GatewaySettings.Builder b = GatewaySettings.builder()
                .set("kafka.bootstrap-servers", bootstrap)
                .set("kafka.topic.callbacks", topic)
                .set("gateway.host", "127.0.0.1")
                .set("gateway.port", "0")
                .set("gateway.io-threads", "2")
                .set("gateway.trusted-proxies", "127.0.0.1/32");
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        CallbackGateway g = CallbackGateway.start(b.build());
        toClose.add(0, g);
        return g;
    }

    private Topic reader(String topic) {
        Topic t = new Topic(kafka.bootstrapServers(), topic);
        toClose.add(t);
        return t;
    }

    static PaymentFacts facts() {
        int n = PAYMENTS.incrementAndGet();
        return new PaymentFacts("P-GW-" + n, "T" + (4200000000L + n), 3550 + n, "SUCCESS", Instant.now());
    }

    private static CallbackEnvelope genuine(String channel, int n) {
        String address = SimulatedChannels.genuineAddress(channel.startsWith("UNIONPAY") ? "UNIONPAY" : channel, n);
        Instant now = Instant.now();
        return switch (channel) {
            case "WECHAT" -> channels.wechat().notification(facts(), now, address, Forgery.NONE);
            case "ALIPAY" -> channels.alipay().notification(facts(), now, address, Forgery.NONE);
            case "UNIONPAY" -> channels.unionpay().notification(facts(), now, address, Forgery.NONE, false);
            default -> channels.unionpay().notification(facts(), now, address, Forgery.NONE, true);
        };
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> headersOf(JsonNode envelope) {
        Map<String, String> h = new HashMap<>();
        envelope.path("headers")
                .fields()
                .forEachRemaining(e ->
                        h.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        return h;
    }

    // --- genuine notifications -------------------------------------------------------------------------

    @Test
    void eachChannelsGenuineNotificationIsPublishedByteForByteAndTheJobsVerifierAcceptsIt() {
        String topic = newTopic();
        CallbackGateway g = gateway(topic);
        Map<String, String> expectedAnswer =
                Map.of("WECHAT", "{\"code\":\"SUCCESS\",\"message\":\"OK\"}", "ALIPAY", "success");
        Map<String, CallbackEnvelope> sent = new HashMap<>();
        for (String kind : List.of("WECHAT", "ALIPAY", "UNIONPAY", "UNIONPAY_HMAC")) {
            CallbackEnvelope n = genuine(kind, sent.size() + 7);
            HttpResponse<String> answer = Notifier.post(g.port(), n);
            assertThat(answer.statusCode()).as(kind).isEqualTo(200);
            if (expectedAnswer.containsKey(n.channel)) {
                assertThat(answer.body()).as(kind).isEqualTo(expectedAnswer.get(n.channel));
            }
            sent.put(n.notifyId, n);
        }

        List<ConsumerRecord<String, byte[]>> records =
                reader(topic).readUntil(r -> r.size() >= sent.size(), Duration.ofSeconds(30));
        assertThat(records).hasSize(sent.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            CallbackEnvelope n = sent.get(r.key());
            assertThat(n)
                    .as("keyed by the channel's notification id " + r.key())
                    .isNotNull();
            JsonNode e = json(r);
            assertThat(e.path("channel").asText()).isEqualTo(n.channel);
            assertThat(e.path("notifyId").asText()).isEqualTo(n.notifyId);
            assertThat(e.path("sourceAddress").asText()).isEqualTo(n.sourceAddress);
            assertThat(e.path("receivedAt").asLong()).isBetween(n.receivedAtMs - 1000, System.currentTimeMillis());
            assertThat(e.path("body").asText().getBytes(StandardCharsets.UTF_8))
                    .as("the body byte for byte")
                    .isEqualTo(n.body.getBytes(StandardCharsets.UTF_8));
            Map<String, String> published = headersOf(e);
            n.headers.forEach((k, v) -> assertThat(published).containsEntry(k.toLowerCase(Locale.ROOT), v));
            assertThat(published).allSatisfy((k, v) -> assertThat(k).matches("content-type|wechatpay-.*"));
            Verdict v = verifier.verify(r.value());
            assertThat(v.kind).as(n.channel + ": " + v.reason).isEqualTo(Verdict.Kind.ACCEPTED);
            assertThat(v.notification.paymentId).startsWith("P-GW-");
        }
        assertThat(g.metrics().publishedTotal()).isEqualTo(sent.size());
        assertThat(g.metrics().requests("success")).isEqualTo(sent.size());
    }

    @Test
    void aResentWechatPayNotificationFreshlySignedIsPublishedAgainUnderItsIdAndStillVerifies() throws Exception {
        String topic = newTopic();
        CallbackGateway g = gateway(topic);
        io.paystream.channels.GatewayClient client = new io.paystream.channels.GatewayClient(
                URI.create("http://127.0.0.1:" + g.port()), Duration.ofSeconds(10));
        CallbackEnvelope first = genuine("WECHAT", 24);
        CallbackEnvelope resend =
                channels.wechat().resigned(first, Instant.now().plusSeconds(60));
        assertThat(io.paystream.channels.GatewayClient.delivered("WECHAT", client.post(first)))
                .isTrue();
        assertThat(io.paystream.channels.GatewayClient.delivered("WECHAT", client.post(resend)))
                .isTrue();
        List<ConsumerRecord<String, byte[]>> records =
                reader(topic).readUntil(r -> r.size() >= 2, Duration.ofSeconds(30));
        assertThat(records)
                .extracting(ConsumerRecord::key)
                .containsOnly(first.notifyId)
                .hasSize(2);
        assertThat(headersOf(json(records.get(1))).get("wechatpay-signature"))
                .isNotEqualTo(headersOf(json(records.get(0))).get("wechatpay-signature"));
        records.forEach(r -> {
            assertThat(json(r).path("body").asText()).isEqualTo(first.body);
            assertThat(verifier.verify(r.value()).kind).isEqualTo(Verdict.Kind.ACCEPTED);
        });
    }

    @Test
    void refundNotificationsArePublishedToTheSameTopicWithTheSameEnvelope() {
        String topic = newTopic();
        CallbackGateway g = gateway(topic);
        CallbackEnvelope wechat = genuine("WECHAT", 3);
        CallbackEnvelope unionpay = genuine("UNIONPAY", 4);
        assertThat(Notifier.post(g.port(), "/notify/wechat/refund", wechat, wechat.sourceAddress)
                        .statusCode())
                .isEqualTo(200);
        assertThat(Notifier.post(g.port(), "/notify/unionpay/refund", unionpay, unionpay.sourceAddress)
                        .statusCode())
                .isEqualTo(200);
        List<ConsumerRecord<String, byte[]>> records =
                reader(topic).readUntil(r -> r.size() >= 2, Duration.ofSeconds(30));
        assertThat(records)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(wechat.notifyId, unionpay.notifyId);
        assertThat(records)
                .allSatisfy(r -> assertThat(json(r).path("body").asText()).isIn(wechat.body, unionpay.body));
    }

    // --- source address --------------------------------------------------------------------------------

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnoredAndTheJobRejectsTheLoopbackSource() {
        String topic = newTopic();
        CallbackGateway g = gateway(topic, "gateway.trusted-proxies", "10.0.0.0/8");
        CallbackEnvelope n = genuine("ALIPAY", 5);
        assertThat(Notifier.post(g.port(), n).body()).isEqualTo("success");
        ConsumerRecord<String, byte[]> r = reader(topic)
                .readUntil(x -> !x.isEmpty(), Duration.ofSeconds(30))
                .get(0);
        assertThat(json(r).path("sourceAddress").asText()).isEqualTo("127.0.0.1");
        Verdict v = verifier.verify(r.value());
        assertThat(v.kind).isEqualTo(Verdict.Kind.REJECTED);
        assertThat(v.reason).contains("127.0.0.1 is not allowed");
    }

    @Test
    void aTrustedProxysForwardedForGivesItsRightMostUntrustedHopAndXRealIpServesWithoutIt() {
        String topic = newTopic();
        CallbackGateway g = gateway(topic, "gateway.trusted-proxies", "127.0.0.0/8, 10.1.0.0/16");
        CallbackEnvelope spoofed = genuine("WECHAT", 9);
        // The client wrote 6.6.6.6 itself; the outer proxy saw 101.226.103.9; an inner proxy 10.1.2.3.
        assertThat(Notifier.post(
                                g.port(),
                                "/notify/wechat/pay",
                                spoofed,
                                "6.6.6.6, " + spoofed.sourceAddress + ", 10.1.2.3")
                        .statusCode())
                .isEqualTo(200);
        CallbackEnvelope viaRealIp = genuine("UNIONPAY", 11);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/notify/unionpay"))
                .POST(HttpRequest.BodyPublishers.ofString(viaRealIp.body))
                .header("X-Real-IP", viaRealIp.sourceAddress);
        viaRealIp.headers.forEach(b::header);
        assertThat(send(b.build()).statusCode()).isEqualTo(200);
        assertThat(Notifier.post(g.port(), "/notify/unionpay", viaRealIp, "unknown")
                        .statusCode())
                .as("a forwarded hop that is no address")
                .isEqualTo(400);

        List<ConsumerRecord<String, byte[]>> records =
                reader(topic).readUntil(x -> x.size() >= 2, Duration.ofSeconds(30));
        Map<String, String> sourceByKey = new HashMap<>();
        records.forEach(
                r -> sourceByKey.put(r.key(), json(r).path("sourceAddress").asText()));
        assertThat(sourceByKey)
                .containsEntry(spoofed.notifyId, spoofed.sourceAddress)
                .containsEntry(viaRealIp.notifyId, viaRealIp.sourceAddress)
                .hasSize(2);
        records.forEach(r -> assertThat(verifier.verify(r.value()).kind).isEqualTo(Verdict.Kind.ACCEPTED));
    }

    @Test
    void anAddressTheChannelsAllowlistDeniesIsAnswered403AndNotPublished() {
        String topic = newTopic();
        CallbackGateway g = gateway(
                topic,
                "channel.wechat.allowlist",
                "deny 101.226.103.66, " + SimulatedChannels.WECHAT_ADDRESSES,
                "channel.alipay.allowlist",
                SimulatedChannels.ALIPAY_ADDRESSES);
        CallbackEnvelope forged = genuine("WECHAT", 12);
        HttpResponse<String> denied =
                Notifier.post(g.port(), "/notify/wechat/pay", forged, SimulatedChannels.FORGER_ADDRESS_PREFIX + "9");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).startsWith("{\"code\":\"FAIL\"");
        CallbackEnvelope deniedHost = genuine("WECHAT", 65); // 101.226.103.66: denied before its /24 is allowed
        assertThat(Notifier.post(g.port(), deniedHost).statusCode()).isEqualTo(403);
        CallbackEnvelope alipayForged = genuine("ALIPAY", 13);
        HttpResponse<String> alipayDenied =
                Notifier.post(g.port(), "/notify/alipay", alipayForged, SimulatedChannels.FORGER_ADDRESS_PREFIX + "10");
        assertThat(alipayDenied.statusCode()).isEqualTo(403);
        assertThat(alipayDenied.body()).isEqualTo("fail");
        CallbackEnvelope allowed = genuine("WECHAT", 14);
        assertThat(Notifier.post(g.port(), allowed).statusCode()).isEqualTo(200);
        CallbackEnvelope unionpayUnchecked = genuine("UNIONPAY", 15);
        assertThat(Notifier.post(g.port(), "/notify/unionpay", unionpayUnchecked, "198.51.100.1")
                        .statusCode())
                .as("no UnionPay allowlist here: not checked (the job still checks)")
                .isEqualTo(200);

        List<ConsumerRecord<String, byte[]>> records =
                reader(topic).readUntil(x -> x.size() >= 2, Duration.ofSeconds(30));
        assertThat(records)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(allowed.notifyId, unionpayUnchecked.notifyId);
        assertThat(g.metrics().requests("forbidden")).isEqualTo(3);
    }

    // --- limits ----------------------------------------------------------------------------------------

    @Test
    void aBodyOverTheLimitIsAnswered413WhetherItsLengthIsDeclaredOrChunked() {
        String topic = newTopic();
        CallbackGateway g = gateway(topic, "gateway.max-body-size", "1 kb");
        CallbackEnvelope n = genuine("ALIPAY", 16);
        CallbackEnvelope big = n.withBody(n.body + "&padding=" + "x".repeat(2000));
        HttpResponse<String> declared = Notifier.post(g.port(), big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).isEqualTo("fail");
        byte[] bytes = big.body.getBytes(StandardCharsets.UTF_8);
        Supplier<InputStream> stream = () -> new java.io.ByteArrayInputStream(bytes);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/notify/alipay"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(stream))
                .header("X-Forwarded-For", n.sourceAddress)
                .build();
        assertThat(send(chunked).statusCode()).isEqualTo(413);
        assertThat(g.metrics().requests("too_large")).isEqualTo(2);
        // Released once the answer's write completed, which the client may see a moment earlier.
        await(() -> g.metrics().inFlight() == 0, Duration.ofSeconds(5));
    }

    @Test
    void beyondTheInFlightBoundRequestsGet503AndThoseKafkaNeverAcknowledgesGetTheFailureAnswerAfterThePublishTimeout()
            throws Exception {
        // A broker address that accepts connections and never answers: Kafka as a hung server is seen.
        try (ServerSocket blackHole = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(blackHole.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            CallbackGateway g = gatewayOn(
                    "127.0.0.1:" + blackHole.getLocalPort(),
                    "payment.callbacks",
                    "gateway.max-in-flight",
                    "2",
                    "gateway.publish-timeout",
                    "1500 ms");
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> first = Notifier.postAsync(g.port(), genuine("WECHAT", 17));
            CompletableFuture<HttpResponse<String>> second = Notifier.postAsync(g.port(), genuine("ALIPAY", 18));
            await(() -> g.metrics().inFlight() == 2, Duration.ofSeconds(10));
            HttpResponse<String> third = Notifier.post(g.port(), genuine("WECHAT", 19));
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.body()).contains("\"FAIL\"");

            assertThat(first.get().statusCode()).isEqualTo(500);
            assertThat(first.get().body()).startsWith("{\"code\":\"FAIL\"");
            assertThat(second.get().statusCode()).isEqualTo(500);
            assertThat(second.get().body()).isEqualTo("fail");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("answered within the publish timeout and its 1 s backstop")
                    .isLessThan(Duration.ofMillis(1500 * 2 + 1000 + 2000));
            assertThat(g.metrics().requests("overloaded")).isEqualTo(1);
            assertThat(g.metrics().failedTotal()).isEqualTo(2);
            assertThat(g.metrics().publishedTotal()).isZero();
            // Released once the answer's write completed, which the client may see a moment earlier.
            await(() -> g.metrics().inFlight() == 0, Duration.ofSeconds(5));
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void slowHeadersAndSlowBodiesAreAnswered408AndIdleConnectionsClosed() throws Exception {
        String topic = newTopic();
        CallbackGateway g = gateway(
                topic,
                "gateway.header-timeout",
                "300 ms",
                "gateway.read-timeout",
                "300 ms",
                "gateway.idle-timeout",
                "300 ms");
        try (Socket s = connect(g.port())) {
            write(s, "POST /notify/alipay HTTP/1.1\r\nHost: gw\r\nContent-Type: text/plain\r\n");
            String answer = readAll(s);
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
        try (Socket s = connect(g.port())) {
            write(s, "POST /notify/alipay HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\nnotify_id=1");
            String answer = readAll(s);
            assertThat(answer).startsWith("HTTP/1.1 408").endsWith("fail");
        }
        try (Socket s = connect(g.port())) {
            assertThat(readAll(s))
                    .as("a connection that sends nothing is closed")
                    .isEmpty();
        }
        try (Socket s = connect(g.port())) {
            write(s, "GET /health HTTP/1.1\r\nHost: gw\r\n\r\n");
            String answer = readAll(s);
            assertThat(answer)
                    .as("answered, kept alive, then closed when idle")
                    .startsWith("HTTP/1.1 200")
                    .contains("\"UP\"");
        }
        assertThat(g.metrics().requests("timeout")).isEqualTo(2);
        // Released once the answer's write completed, which the client may see a moment earlier.
        await(() -> g.metrics().inFlight() == 0, Duration.ofSeconds(5));
    }

    @Test
    void aPipelinedRequestIsNotMixedUpWithTheOneWaitingForKafkaButLeftForTheClientToResend() throws Exception {
        String topic = newTopic();
        CallbackGateway g = gateway(topic);
        CallbackEnvelope first = genuine("ALIPAY", 22);
        CallbackEnvelope second = genuine("ALIPAY", 23);
        StringBuilder both = new StringBuilder();
        for (CallbackEnvelope n : List.of(first, second)) {
            both.append("POST /notify/alipay HTTP/1.1\r\nHost: gw\r\nX-Forwarded-For: ")
                    .append(n.sourceAddress)
                    .append("\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: ")
                    .append(n.body.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n\r\n")
                    .append(n.body);
        }
        try (Socket s = connect(g.port())) {
            write(s, both.toString());
            String answer = readAll(s);
            assertThat(answer)
                    .startsWith("HTTP/1.1 200")
                    .contains("connection: close")
                    .endsWith("success");
            assertThat(answer.split("HTTP/1.1 ", -1))
                    .as("one answer, then the connection closes")
                    .hasSize(2);
        }
        assertThat(reader(topic).readUntil(x -> !x.isEmpty(), Duration.ofSeconds(30)))
                .extracting(ConsumerRecord::key)
                .containsExactly(first.notifyId);
    }

    @Test
    void healthMetricsAndWrongRequestsAnswerAsTheyShould() {
        String topic = newTopic();
        CallbackGateway g = gateway(topic);
        assertThat(Notifier.post(g.port(), genuine("UNIONPAY", 20)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> health = Notifier.get(g.port(), "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"published\":1");
        HttpResponse<String> metrics = Notifier.get(g.port(), "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("paystream_gateway_requests_total{channel=\"unionpay\",kind=\"pay\",answer=\"success\"} 1\n")
                .contains("paystream_gateway_published_total{channel=\"unionpay\"} 1\n")
                .contains("paystream_gateway_in_flight 0\n")
                .contains("paystream_gateway_request_duration_seconds_bucket{le=\"+Inf\"} 1\n")
                .contains("paystream_gateway_request_duration_seconds_p99 ");
        assertThat(Notifier.get(g.port(), "/notify/alipay").statusCode()).isEqualTo(405);
        assertThat(Notifier.post(g.port(), "/notify/paypal", genuine("ALIPAY", 21), null)
                        .statusCode())
                .isEqualTo(404);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static HttpResponse<String> send(HttpRequest r) {
        try {
            return Notifier.HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Everything until the gateway closes the connection (fails after the socket's 10 s timeout). */
    private static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
