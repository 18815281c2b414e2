package io.paystream.gateway;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka side: an idempotent producer with {@code acks=all} whose {@code delivery.timeout.ms} is
 * the publish timeout, fed by one thread of its own. {@code send()} may block (no metadata yet, a
 * full buffer: up to {@code max.block.ms}); it is never called on an HTTP event loop. The outcome
 * reaches the caller from the producer's callback: null once the record is acknowledged by all
 * in-sync replicas, else the error.
 */
final class Publisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final ExecutorService sender;

    Publisher(GatewaySettings s) {
        this.topic = s.get(GatewayOptions.TOPIC_CALLBACKS);
        this.producer = new KafkaProducer<>(properties(s), new StringSerializer(), new ByteArraySerializer());
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "gateway-publisher");
            t.setDaemon(true);
            return t;
        });
    }

    static Properties properties(GatewaySettings s) {
        long timeout = s.get(GatewayOptions.PUBLISH_TIMEOUT).toMillis();
        long linger = s.get(GatewayOptions.KAFKA_LINGER).toMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.get(GatewayOptions.KAFKA_BOOTSTRAP_SERVERS));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "paystream-gateway");
        // Acknowledged means written to every in-sync replica; retries cannot duplicate or reorder.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        // The whole wait for an acknowledgement, retries included: the channel is answered by then.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(linger));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1, timeout - linger)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout));
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        // A quiet hour must not drop the topic's metadata (the next send would wait for it).
        p.put(
                ProducerConfig.METADATA_MAX_IDLE_CONFIG,
                String.valueOf(Duration.ofDays(7).toMillis()));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put("security.protocol", s.get(GatewayOptions.KAFKA_SECURITY_PROTOCOL));
        String mechanism = s.get(GatewayOptions.KAFKA_SASL_MECHANISM);
        if (mechanism != null) {
            String module = mechanism.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.mechanism", mechanism);
            p.put(
                    "sasl.jaas.config",
                    module + " required username=\"" + jaas(s.get(GatewayOptions.KAFKA_SASL_USERNAME))
                            + "\" password=\"" + jaas(s.get(GatewayOptions.KAFKA_SASL_PASSWORD)) + "\";");
        }
        return p;
    }

    private static String jaas(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Sends {@code value} keyed by {@code key}; {@code done} gets null once it is acknowledged, or
     * the error. {@code stillWanted} is asked just before the send: a request already answered (its
     * deadline passed while the sender was blocked) is not sent at all.
     */
    void publish(String key, byte[] value, BooleanSupplier stillWanted, Consumer<Exception> done) {
        try {
            sender.execute(() -> {
                if (!stillWanted.getAsBoolean()) {
                    done.accept(new IllegalStateException("answered before it could be sent"));
                    return;
                }
                try {
                    producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> done.accept(error));
                } catch (RuntimeException e) {
                    done.accept(e);
                }
            });
        } catch (RuntimeException e) { // rejected: shutting down
            done.accept(e);
        }
    }

    /** Waits for every record sent so far (up to {@code timeout}), then closes the producer. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    void close(Duration timeout) {
        sender.shutdown();
        try {
            sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(timeout);
    }
}
