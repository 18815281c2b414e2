package io.paystream.servers;

import java.nio.file.Path;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/** A real Elasticsearch 7.10 node inside this JVM (codelibs cluster runner), HTTP on loopback. */
public final class ElasticsearchServer implements AutoCloseable {
    private final ElasticsearchClusterRunner runner;
    private final int httpPort;

    private ElasticsearchServer(ElasticsearchClusterRunner runner, int httpPort) {
        this.runner = runner;
        this.httpPort = httpPort;
    }

    public static ElasticsearchServer start(Path workDir, int preferredHttpPort) {
        int httpPort = FreePorts.pick(preferredHttpPort);
        int transportPort = FreePorts.pick(0);
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        // The runner searches http ports from base+1 and stops at 9299 unless told otherwise.
        runner.setMaxHttpPort(65535);
        runner.onBuild((number, settings) -> {
            settings.put("http.port", String.valueOf(httpPort));
            settings.put("transport.port", String.valueOf(transportPort));
            settings.put("network.host", "127.0.0.1");
            settings.put("action.auto_create_index", "true");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        });
        runner.build(ElasticsearchClusterRunner.newConfigs()
                .basePath(workDir.toAbsolutePath().toString())
                .clusterName("paystream")
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .useLogger()
                .disableESLogger());
        runner.ensureYellow();
        return new ElasticsearchServer(runner, httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public void close() {
        try {
            runner.close();
        } catch (Exception e) {
            // best effort at shutdown
        }
    }
}
