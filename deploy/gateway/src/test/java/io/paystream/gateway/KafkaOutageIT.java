package io.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.GatewayClient;
import io.paystream.channels.SimulatedChannels;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.process.KafkaProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway against a Kafka broker in its own JVM, which is killed ({@code kill -9}) and started
 * again on the same data under load, or frozen while the gateway shuts down.
 */
class KafkaOutageIT {
    private static final int CHANNELS = 6;
    private static final int PER_CHANNEL = 60;
    private static SimulatedChannels channels;
    private static KafkaProcess kafka;
    private static Path dir;

    @BeforeAll
    static void startKafka() throws IOException {
        channels = SimulatedChannels.generate();
        dir = ScratchDirectories.create("gateway-kafka-");
        kafka = KafkaProcess.start(dir, 0);
        kafka.createTopics(Map.of("outage.callbacks", 2, "shutdown.callbacks", 1));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static CallbackGateway gateway(String topic, String publishTimeout) {
        return CallbackGateway.start(GatewaySettings.builder()
                .set("kafka.bootstrap-servers", kafka.bootstrapServers())
                .set("kafka.topic.callbacks", topic)
                .set("gateway.host", "127.0.0.1")
                .set("gateway.port", "0")
                .set("gateway.io-threads", "2")
                .set("gateway.trusted-proxies", "127.0.0.1/32")
                .set("gateway.publish-timeout", publishTimeout)
                .build());
    }

    /** A resend as the channel makes it: WeChat Pay stamps and signs each attempt afresh. */
    private static CallbackEnvelope resent(CallbackEnvelope n) {
        return n.channel.equals("WECHAT") ? channels.wechat().resigned(n, Instant.now()) : n;
    }

    private static CallbackEnvelope notification(int n) {
        String channel = List.of("WECHAT", "ALIPAY", "UNIONPAY").get(n % 3);
        String address = SimulatedChannels.genuineAddress(channel, n);
        var facts = CallbackGatewayIT.facts();
        return switch (channel) {
            case "WECHAT" -> channels.wechat().notification(facts, Instant.now(), address, Forgery.NONE);
            case "ALIPAY" -> channels.alipay().notification(facts, Instant.now(), address, Forgery.NONE);
            default -> channels.unionpay().notification(facts, Instant.now(), address, Forgery.NONE, true);
        };
    }

    /**
     * Six resending channels post 360 notifications while the broker is killed and restarted: each
     * resends a notification after a failure answer (or a dropped connection) until it is told
     * success, as the channels do. Every notification told success must be on the topic, and once
     * Kafka is back every one is, exactly once per success plus the copies whose acknowledgement
     * was lost (never more than the failure answers).
     */
    @Test
    void aKafkaOutageUnderLoadAnswersNoUnwrittenSuccessAndEveryResentNotificationIsPublished() throws Exception {
        CallbackGateway g = gateway("outage.callbacks", "2 s");
        Set<String> toldSuccess = ConcurrentHashMap.newKeySet();
        AtomicInteger failureAnswers = new AtomicInteger();
        AtomicInteger successAnswers = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<CallbackEnvelope> all = new ArrayList<>();
        for (int i = 0; i < CHANNELS * PER_CHANNEL; i++) {
            all.add(notification(i));
        }
        ExecutorService emulators = Executors.newFixedThreadPool(CHANNELS);
        List<Future<?>> done = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        for (int c = 0; c < CHANNELS; c++) {
            List<CallbackEnvelope> mine = all.subList(c * PER_CHANNEL, (c + 1) * PER_CHANNEL);
            GatewayClient client =
                    new GatewayClient(URI.create("http://127.0.0.1:" + g.port()), Duration.ofSeconds(30));
            done.add(emulators.submit(() -> {
                for (CallbackEnvelope n : mine) {
                    CallbackEnvelope attempt = n;
                    while (true) {
                        if (System.nanoTime() > deadline) {
                            problems.add(n.notifyId + " never told success");
                            return null;
                        }
                        GatewayClient.Answer r;
                        try {
                            r = client.post(attempt);
                        } catch (IOException e) { // a dropped connection: resend, as the channel would
                            failureAnswers.incrementAndGet();
                            attempt = resent(attempt);
                            continue;
                        }
                        if (GatewayClient.delivered(n.channel, r)) {
                            successAnswers.incrementAndGet();
                            if (!toldSuccess.add(n.notifyId)) {
                                problems.add(n.notifyId + " told success twice");
                            }
                            break;
                        }
                        failureAnswers.incrementAndGet();
                        LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the channel's resend back-off
                        attempt = resent(attempt);
                    }
                }
                return null;
            }));
        }
        CallbackGatewayIT.await(() -> successAnswers.get() >= all.size() / 4, Duration.ofSeconds(60));
        kafka.kill();
        int successAtKill = successAnswers.get();
        CallbackGatewayIT.await(() -> failureAnswers.get() >= CHANNELS, Duration.ofSeconds(30));
        kafka.startAgain();
        for (Future<?> f : done) {
            f.get();
        }
        emulators.shutdown();
        g.close();

        assertThat(problems).isEmpty();
        assertThat(toldSuccess).hasSize(all.size());
        assertThat(successAtKill).isLessThan(all.size());
        assertThat(failureAnswers.get())
                .as("the outage was answered with failures")
                .isGreaterThanOrEqualTo(CHANNELS);
        List<ConsumerRecord<String, byte[]>> records;
        try (Topic t = new Topic(kafka.bootstrapServers(), "outage.callbacks")) {
            records = t.readToEnd(Duration.ofSeconds(60));
        }
        Set<String> published = new HashSet<>();
        records.forEach(r -> published.add(r.key()));
        assertThat(published)
                .as("every notification told success is on the topic")
                .containsAll(toldSuccess);
        assertThat(published).hasSize(all.size());
        int copies = records.size() - all.size();
        assertThat(copies)
                .as("a copy is published only for a notification that was told failure (its ack came too late)")
                .isBetween(0, failureAnswers.get());
        assertThat(g.metrics().requests("success")).isEqualTo(all.size());
        System.out.printf(
                "outage: %d notifications, %d told success before the kill, %d failure answers, %d records (%d copies)%n",
                all.size(), successAtKill, failureAnswers.get(), records.size(), copies);
    }

    @Test
    void gracefulShutdownStopsAcceptingAndAnswersTheRequestInFlight() throws Exception {
        CallbackGateway g = gateway("shutdown.callbacks", "30 s");
        int port = g.port();
        // Warm the producer (metadata, producer id) so that the frozen broker holds only the record.
        assertThat(Notifier.post(port, notification(1)).statusCode()).isEqualTo(200);
        kafka.process().freeze();
        CompletableFuture<Void> closed;
        CompletableFuture<HttpResponse<String>> inFlight;
        CallbackEnvelope n = notification(2);
        try {
            inFlight = Notifier.postAsync(port, n);
            CallbackGatewayIT.await(() -> g.metrics().inFlight() == 1, Duration.ofSeconds(10));
            closed = CompletableFuture.runAsync(g::close);
            CallbackGatewayIT.await(() -> !accepts(port), Duration.ofSeconds(10));
            assertThat(inFlight).as("still waiting for Kafka").isNotDone();
            assertThat(closed).as("close() waits for it").isNotDone();
        } finally {
            kafka.process().thaw();
        }
        HttpResponse<String> answer = inFlight.get();
        assertThat(Notifier.isSuccess(n.channel, answer)).as(answer.body()).isTrue();
        assertThat(answer.headers().firstValue("Connection")).hasValue("close");
        closed.get();
        assertThatThrownBy(() -> Notifier.post(port, notification(3))).isInstanceOf(RuntimeException.class);
        try (Topic t = new Topic(kafka.bootstrapServers(), "shutdown.callbacks")) {
            assertThat(t.readToEnd(Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::key)
                    .contains(n.notifyId);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
