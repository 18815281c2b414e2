package io.paystream.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paystream.jobs.testing.EsIndex;
import io.paystream.jobs.testing.Eventually;
import io.paystream.servers.SharedServers;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.search.OrderDocument;
import io.paystream.state.search.OrderDocumentWrite;
import io.paystream.state.shop.ExtraColumn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The order index writer against a real Elasticsearch 7.10 node, driven by an operator harness. */
class OrderIndexWriterIT {
    private static final AtomicInteger RUN = new AtomicInteger();

    private EsIndex index;
    private OneInputStreamOperatorTestHarness<OrderDocumentWrite, DeadLetter> harness;

    @BeforeEach
    void open() throws Exception {
        String url = SharedServers.elasticsearch().httpUrl();
        index = new EsIndex(url, "orders-writer-it-" + RUN.incrementAndGet());
        harness = new OneInputStreamOperatorTestHarness<>(OrderIndexWriter.builder()
                .hosts(url)
                .index(index.name())
                .bulkMaxActions(100)
                .bulkMaxBytes(5 << 20)
                .bulkFlushInterval(Duration.ofMillis(200))
                .retryInitialBackoff(Duration.ofMillis(50))
                .retryMaxBackoff(Duration.ofSeconds(1))
                .jobName("writer-it")
                .build());
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
        index.delete();
        index.close();
    }

    @Test
    void createsTheIndexWithTheTemplatesStrictMapping() {
        assertThat(index.exists()).isTrue();
        JsonNode mapping = index.mapping();
        assertThat(mapping.path("dynamic").asText()).isEqualTo("strict");
        assertThat(mapping.path("properties").path("items").path("type").asText())
                .isEqualTo("nested");
        assertThat(mapping.path("properties").path("totalAmount").path("type").asText())
                .isEqualTo("scaled_float");
        assertThat(mapping.path("properties").path("clientIp").path("type").asText())
                .isEqualTo("ip");
    }

    @Test
    void theMappingsExtraOrderColumnsAreIndexedWithTheirTypesAndSearchable() throws Exception {
        harness.close();
        harness = new OneInputStreamOperatorTestHarness<>(OrderIndexWriter.builder()
                .hosts(SharedServers.elasticsearch().httpUrl())
                .index(index.name())
                .bulkFlushInterval(Duration.ofMillis(200))
                .jobName("writer-it")
                .extraFields(new java.util.LinkedHashMap<>(
                        Map.of("receiverName", "text", "deliveredAt", "date", "city", "keyword")))
                .build());
        harness.open();
        JsonNode extra = index.mapping().path("properties").path("extra");
        assertThat(extra.path("dynamic").asText()).isEqualTo("strict");
        assertThat(extra.path("properties").path("receiverName").path("type").asText())
                .isEqualTo("text");
        assertThat(extra.path("properties").path("deliveredAt").path("type").asText())
                .isEqualTo("date");
        assertThat(index.mapping()
                        .path("properties")
                        .path("orderNo")
                        .path("type")
                        .asText())
                .isEqualTo("keyword");

        OrderDocument d = doc(7, "PAID");
        d.orderNo = "SO-2026-0007";
        d.extra = new ExtraColumn[] {
            new ExtraColumn("receiverName", "Han Meimei"),
            new ExtraColumn("deliveredAt", "1795824000000"),
            new ExtraColumn("city", null)
        };
        write(d, 1);
        flush();

        JsonNode source = index.get(7).path("_source");
        assertThat(source.path("orderNo").asText()).isEqualTo("SO-2026-0007");
        assertThat(source.path("extra").path("receiverName").asText()).isEqualTo("Han Meimei");
        assertThat(source.path("extra").has("city"))
                .as("a NULL column is left out")
                .isFalse();
        index.request("POST", "/" + index.name() + "/_refresh", null);
        JsonNode hits = index.request(
                "POST",
                "/" + index.name() + "/_search",
                "{\"query\": {\"match\": {\"extra.receiverName\": \"meimei\"}}}");
        assertThat(hits.path("hits").path("total").path("value").asLong()).isEqualTo(1);
        assertThat(harness.extractOutputValues()).isEmpty();

        // A column the mapping does not declare is refused by the strict mapping: a dead letter.
        OrderDocument undeclared = doc(8, "PAID");
        undeclared.extra = new ExtraColumn[] {new ExtraColumn("colour", "red")};
        write(undeclared, 1);
        flush();
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(dl -> assertThat(dl.reason).contains("strict_dynamic_mapping_exception"));
    }

    @Test
    void anOlderVersionArrivingLateNeverReplacesANewerDocument() throws Exception {
        write(doc(1, "PAID"), 50);
        flush();
        write(doc(1, "CREATED"), 40); // a retry or replay of older data
        flush();
        JsonNode stored = index.get(1);
        assertThat(stored.path("_version").asLong()).isEqualTo(50);
        assertThat(stored.path("_source").path("status").asText()).isEqualTo("PAID");
        assertThat(harness.extractOutputValues())
                .as("a version conflict is not a dead letter")
                .isEmpty();

        write(doc(1, "CLOSED"), 50); // equal version: the later write of the same version wins
        flush();
        assertThat(index.get(1).path("_source").path("status").asText()).isEqualTo("CLOSED");
    }

    @Test
    void aDeletedDocumentStaysDeletedWhenAnOlderWriteArrivesLate() throws Exception {
        write(doc(2, "CREATED"), 10);
        flush();
        harness.processElement(OrderDocumentWrite.delete(2, 12, System.currentTimeMillis()), 0);
        flush();
        assertThat(index.get(2)).isNull();
        write(doc(2, "PAID"), 11);
        flush();
        assertThat(index.get(2)).as("the delete's external version outranks it").isNull();
        write(doc(2, "CREATED"), 13); // re-inserted with a newer binlog version
        flush();
        assertThat(index.get(2).path("_version").asLong()).isEqualTo(13);
    }

    @Test
    void aDocumentElasticsearchRefusesBecomesADeadLetterAndTheOthersAreWritten() throws Exception {
        OrderDocument bad = doc(3, "CREATED");
        bad.clientIp = "not-an-ip";
        write(doc(4, "CREATED"), 1);
        write(bad, 2);
        write(doc(5, "CREATED"), 3);
        flush();
        assertThat(index.get(4)).isNotNull();
        assertThat(index.get(5)).isNotNull();
        assertThat(index.get(3)).isNull();
        List<DeadLetter> dead = harness.extractOutputValues();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.source).isEqualTo("es:" + index.name() + "/3");
            assertThat(d.reason).startsWith("Elasticsearch 400: ").contains("mapper_parsing_exception");
            assertThat(d.raw).contains("\"clientIp\":\"not-an-ip\"");
            assertThat(d.job).isEqualTo("writer-it");
        });
    }

    @Test
    void writesOfOneOrderWaitingForTheSameBulkCollapseIntoTheNewest() throws Exception {
        write(doc(6, "CREATED"), 1);
        write(doc(6, "PAID"), 2);
        write(doc(6, "CLOSED"), 3);
        flush();
        JsonNode stored = index.get(6);
        assertThat(stored.path("_version").asLong()).isEqualTo(3);
        assertThat(stored.path("_source").path("status").asText()).isEqualTo("CLOSED");
        assertThat(stored.path("_source").path("items").get(0).path("unitPrice").asText())
                .isEqualTo("12.50");
    }

    @Test
    void aFullBulkIsSentWithoutWaitingForTheFlushInterval() throws Exception {
        for (int i = 0; i < 250; i++) {
            write(doc(1000 + i, "CREATED"), i);
        }
        // Two full bulks of 100 left at once; the other 50 wait for the interval or a checkpoint.
        Eventually.await("two full bulks indexed", Duration.ofSeconds(20), () -> index.count() >= 200);
        assertThat(index.count()).isEqualTo(200);
        flush();
        assertThat(index.count()).isEqualTo(250);
    }

    @Test
    void withSeveralBulksInFlightAnOrdersWritesStillLandInTheOrderTheyWereMade() throws Exception {
        harness.close();
        harness = new OneInputStreamOperatorTestHarness<>(OrderIndexWriter.builder()
                .hosts(SharedServers.elasticsearch().httpUrl())
                .index(index.name())
                .bulkMaxActions(1) // every write its own bulk: as many in flight as allowed
                .bulkMaxInFlight(4)
                .bulkMaxBytes(5 << 20)
                .bulkFlushInterval(Duration.ofMillis(200))
                .retryInitialBackoff(Duration.ofMillis(50))
                .retryMaxBackoff(Duration.ofSeconds(1))
                .jobName("writer-it")
                .build());
        harness.open();
        // The same version each time (a late change of a lower version than the maximum gives a
        // document of the same version, which external_gte accepts): only the order of the writes
        // decides which one stays, so a newer write must not overtake an older one in flight.
        String[] statuses = {"CREATED", "PAID", "SHIPPED", "COMPLETED", "CLOSED"};
        for (int round = 0; round < statuses.length; round++) {
            write(doc(7, statuses[round]), 5);
            for (int other = 0; other < 3; other++) {
                write(doc(100 + round * 3 + other, "CREATED"), 1);
            }
        }
        flush();
        JsonNode stored = index.get(7);
        assertThat(stored.path("_source").path("status").asText()).isEqualTo("CLOSED");
        assertThat(index.count()).isEqualTo(16);
    }

    private void write(OrderDocument d, long version) throws Exception {
        harness.processElement(OrderDocumentWrite.upsert(d, version, System.currentTimeMillis()), 0);
    }

    /** What a checkpoint does: every write acknowledged before the barrier. */
    private void flush() throws Exception {
        harness.prepareSnapshotPreBarrier(1);
    }

    private static OrderDocument doc(long orderId, String status) {
        OrderDocument d = new OrderDocument();
        d.orderId = orderId;
        d.userId = 9;
        d.status = status;
        d.totalAmount = "25.00";
        d.clientIp = "192.168.1.20";
        d.createdAt = 1_800_000_000_000L;
        d.updatedAt = 1_800_000_000_000L;
        OrderDocument.Item item = new OrderDocument.Item();
        item.itemId = orderId * 10;
        item.skuId = 77;
        item.quantity = 2;
        item.unitPrice = "12.50";
        item.amount = "25.00";
        d.items = new OrderDocument.Item[] {item};
        d.payments = new OrderDocument.Payment[0];
        d.paymentStatus = OrderDocument.PAYMENT_NONE;
        d.paidAmount = "0.00";
        d.itemCount = 1;
        d.totalQuantity = 2;
        d.lastChangeAt = d.updatedAt;
        return d;
    }
}
