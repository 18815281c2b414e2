package io.paystream.servers.process;

import java.util.concurrent.CountDownLatch;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * The main of an Elasticsearch node in a JVM of its own ({@link ElasticsearchProcess}): {@code
 * <data dir> <http port> <transport port>}. A directory that already holds a node's data is
 * reused, so a killed node comes back with its indices. Runs until the process is stopped.
 */
public final class ElasticsearchMain {
    private ElasticsearchMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: ElasticsearchMain DATA_DIR HTTP_PORT TRANSPORT_PORT");
            System.exit(2);
        }
        String basePath = args[0];
        int httpPort = Integer.parseInt(args[1]);
        int transportPort = Integer.parseInt(args[2]);
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        runner.setMaxHttpPort(65535);
        runner.onBuild((number, settings) -> {
            settings.put("http.port", String.valueOf(httpPort));
            settings.put("transport.port", String.valueOf(transportPort));
            settings.put("network.host", "127.0.0.1");
            settings.put("action.auto_create_index", "true");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        });
        runner.build(ElasticsearchClusterRunner.newConfigs()
                .basePath(basePath)
                .clusterName("paystream")
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .useLogger()
                .disableESLogger());
        runner.ensureYellow();
        System.out.println("elasticsearch: ready on http port " + httpPort);
        // SIGTERM runs the JVM's shutdown hooks (Elasticsearch's own closes the node); SIGKILL is a crash.
        new CountDownLatch(1).await();
    }
}
