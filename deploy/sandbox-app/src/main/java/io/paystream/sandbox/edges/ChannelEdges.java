package io.paystream.sandbox.edges;

import io.paystream.channels.ChannelQueryServers;
import io.paystream.channels.SimulatedChannels;
import io.paystream.queryworker.QueryWorker;
import io.paystream.queryworker.WorkerSettings;
import io.paystream.sandbox.traffic.ShopTraffic;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shop's two edges to the channels, as a shop deploys them with paystream: the callback gateway
 * ({@code deploy/gateway}, its own process) the simulated channels notify over HTTP, and the query
 * worker ({@code deploy/query-worker}, embedded) answering re-queries from the channels' query APIs
 * (emulated in their published formats, answering from the channels' truth, signing their answers).
 * The sandbox and the soak run the loop through both.
 */
public final class ChannelEdges implements AutoCloseable {
    private final GatewayProcess gateway;
    private final ChannelQueryServers queryApis;
    private final QueryWorker worker;

    private ChannelEdges(GatewayProcess gateway, ChannelQueryServers queryApis, QueryWorker worker) {
        this.gateway = gateway;
        this.queryApis = queryApis;
        this.worker = worker;
    }

    /**
     * Starts both and turns {@code traffic} over to them.
     *
     * @param topics topic names by role: callbacks, query-results, requery, dlq
     */
    public static ChannelEdges start(
            Path root,
            Path work,
            String bootstrapServers,
            Map<String, String> topics,
            SimulatedChannels channels,
            ShopTraffic traffic) {
        GatewayProcess gateway = GatewayProcess.start(root, work, bootstrapServers, topics.get("callbacks"));
        ChannelQueryServers queryApis = null;
        try {
            queryApis =
                    ChannelQueryServers.start(channels, traffic::channelFacts).refundTruth(traffic::channelRefundFacts);
            Map<String, String> s = new LinkedHashMap<>(queryApis.workerSettings());
            s.put("kafka.bootstrap-servers", bootstrapServers);
            s.put("kafka.topic.requery", topics.get("requery"));
            s.put("kafka.topic.query-results", topics.get("query-results"));
            s.put("kafka.topic.dlq", topics.get("dlq"));
            s.put("query.group-id", "sandbox-query-worker");
            s.put("query.http.host", "127.0.0.1");
            s.put("query.http.port", "0");
            QueryWorker worker = QueryWorker.start(WorkerSettings.of(s));
            traffic.deliverThroughGateway(gateway.base());
            traffic.leaveQueriesToWorker();
            return new ChannelEdges(gateway, queryApis, worker);
        } catch (RuntimeException e) {
            if (queryApis != null) {
                queryApis.close();
            }
            gateway.close();
            throw e;
        }
    }

    public URI gatewayUrl() {
        return gateway.base();
    }

    /** For the status line: the gateway's and the worker's counters. */
    public String counters() {
        return String.format(
                "%s | query worker: answers %d, retries %d, dead letters %d, in flight %d",
                gateway.counters(),
                worker.metrics().counterTotal("answers_published_total"),
                worker.metrics().counterTotal("retries_total"),
                worker.metrics().counterTotal("dlq_total"),
                worker.inFlight());
    }

    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            try {
                queryApis.close();
            } finally {
                gateway.close(); // before Kafka stops: it flushes its producer
            }
        }
    }
}
