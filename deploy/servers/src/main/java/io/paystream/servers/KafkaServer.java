package io.paystream.servers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;

/**
 * A real Kafka 3.9 broker in KRaft mode (one combined broker/controller node) inside this JVM,
 * configured for transactions on a single node.
 */
public final class KafkaServer implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private KafkaServer(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaServer start() {
        // The broker halts the JVM on a fault it considers fatal, including ones met while it
        // shuts down. In-process, that would kill the tests or the sandbox mid-way: report instead.
        Exit.setHaltProcedure((status, message) ->
                System.err.println("kafka: halt(" + status + ") suppressed in-process: " + message));
        Exit.setExitProcedure((status, message) ->
                System.err.println("kafka: exit(" + status + ") suppressed in-process: " + message));
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "2")
                    .setConfigProp("log.flush.interval.messages", "100000")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaServer(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates topics that do not exist yet, each with the given partition count. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> toCreate = new ArrayList<>();
            partitionsByTopic.forEach((topic, partitions) -> {
                if (!existing.contains(topic)) {
                    toCreate.add(new NewTopic(topic, partitions, (short) 1));
                }
            });
            if (!toCreate.isEmpty()) {
                admin.createTopics(toCreate).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + partitionsByTopic.keySet(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            // best effort at shutdown
        }
    }
}
