package io.paystream.servers.process;

import io.paystream.servers.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka 3.9 broker (KRaft, one combined broker and controller) as its own JVM ({@code
 * kafka.Kafka}), with its log directory on disk: killed with {@code kill -9} and started again, it
 * comes back on the same ports with the same topics, offsets and transaction state, as a crashed
 * broker does. Configured for transactions on a single node, like {@code KafkaServer}.
 */
public final class KafkaProcess implements AutoCloseable {
    private final ServerProcess process;
    private final int port;

    private KafkaProcess(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Formats {@code dir} (a new cluster) and starts the broker on free ports. */
    public static KafkaProcess start(Path dir, int preferredPort) {
        int port = FreePorts.pick(preferredPort);
        int controllerPort = FreePorts.pick(0);
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(dir.resolve("data"), port, controllerPort));
            format(dir, config);
            List<String> command = new ArrayList<>(javaCommand("-Xmx768m"));
            command.add("kafka.Kafka");
            command.add(config.toString());
            ServerProcess process = new ServerProcess(
                    "kafka", command, dir.resolve("kafka.log"), () -> accepts(port), Duration.ofSeconds(90));
            process.start();
            return new KafkaProcess(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka in " + dir, e);
        }
    }

    private static String serverProperties(Path data, int port, int controllerPort) {
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + data,
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "num.partitions=2",
                // Durability as a default broker has it: the page cache, not an fsync per message.
                // A kill -9 of the JVM loses nothing the kernel holds; only a machine crash would.
                "log.flush.interval.messages=100000",
                "");
    }

    /** {@code kafka-storage.sh format}: the KRaft metadata log of a new single-node cluster. */
    private static void format(Path dir, Path config) throws IOException {
        List<String> command = new ArrayList<>(javaCommand("-Xmx256m"));
        command.addAll(List.of(
                "kafka.tools.StorageTool",
                "format",
                "--ignore-formatted",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString()));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("kafka.log").toFile()))
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting Kafka's storage failed; see " + dir.resolve("kafka.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> javaCommand(String heap) {
        return List.of(
                ServerProcess.javaExecutable(),
                heap,
                "-XX:+UseG1GC",
                "-Dlog4j2.level=WARN",
                "-cp",
                System.getProperty("java.class.path"));
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** {@code kill -9} of the broker: transactions in flight stay open until it is back. */
    public void kill() {
        process.kill();
    }

    /** Starts the broker again on the same ports and data. */
    public void startAgain() {
        process.start();
    }

    public ServerProcess process() {
        return process;
    }

    /** Creates topics that do not exist yet, each with the given partition count. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> toCreate = new ArrayList<>();
            partitionsByTopic.forEach((topic, partitions) -> {
                if (!existing.contains(topic)) {
                    toCreate.add(new NewTopic(topic, partitions, (short) 1));
                }
            });
            if (!toCreate.isEmpty()) {
                admin.createTopics(toCreate).all().get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + partitionsByTopic.keySet(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + partitionsByTopic.keySet(), e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
