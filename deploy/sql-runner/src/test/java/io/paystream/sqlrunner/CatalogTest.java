package io.paystream.sqlrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.JsonRecordSerializer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.payments.PaymentOutcome;
import io.paystream.state.payments.RequeryCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sql/catalog.sql against what the jobs read and write, without servers: its placeholders are the
 * jobs' environment variables, its topics the jobs' default topics, its Kafka columns the fields
 * the jobs' serializer writes (and the gateway and query worker send), its index table the
 * template's fields. Planned with the real connector factories.
 */
class CatalogTest {
    static final Path CATALOG = Path.of("../../sql/catalog.sql");
    static final ObjectMapper JSON = new ObjectMapper();
    static TableEnvironment tEnv;

    @BeforeAll
    static void createTheCatalog() throws IOException {
        tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : CatalogValues.placeholders(Files.readString(CATALOG))) {
            values.put(name, "value-of-" + name);
        }
        values.put("PAYSTREAM_MYSQL_PORT", "3306");
        values.put("PAYSTREAM_ELASTICSEARCH_HOSTS", "http://es-1:9200,http://es-2:9200");
        for (String statement : statements(CatalogValues.fill(Files.readString(CATALOG), values))) {
            Matcher set =
                    Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'").matcher(statement);
            if (set.matches()) {
                tEnv.getConfig().getConfiguration().setString(set.group(1), set.group(2));
            } else {
                tEnv.executeSql(statement);
            }
        }
    }

    @Test
    void placeholdersAreTheJobsOwnEnvironmentVariables() throws IOException {
        List<String> expected = new ArrayList<>();
        for (ConfigOption<?> o : List.of(
                PaystreamOptions.MYSQL_HOSTNAME,
                PaystreamOptions.MYSQL_PORT,
                PaystreamOptions.MYSQL_DATABASE,
                PaystreamOptions.MYSQL_USERNAME,
                PaystreamOptions.MYSQL_PASSWORD,
                PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS,
                PaystreamOptions.ELASTICSEARCH_HOSTS)) {
            expected.add(Settings.envName(o.key()));
            assertThat(CatalogValues.envName(o.key())).isEqualTo(Settings.envName(o.key()));
        }
        assertThat(CatalogValues.placeholders(Files.readString(CATALOG))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theShopTablesReadTheJobsDatabaseWithServerIdsOfTheirOwn() {
        List<int[]> ranges = new ArrayList<>();
        for (String table : List.of("orders", "order_items", "payments", "inventory")) {
            Map<String, String> o = options(table);
            assertThat(o)
                    .containsEntry("connector", "mysql-cdc")
                    .containsEntry("table-name", table)
                    .containsEntry("database-name", "value-of-PAYSTREAM_MYSQL_DATABASE")
                    .containsEntry("hostname", "value-of-PAYSTREAM_MYSQL_HOSTNAME")
                    .containsEntry("password", "value-of-PAYSTREAM_MYSQL_PASSWORD");
            String[] r = o.get("server-id").split("-");
            ranges.add(new int[] {Integer.parseInt(r[0]), Integer.parseInt(r[1])});
        }
        for (int i = 0; i < ranges.size(); i++) {
            // within the SQL client's 5430-5459, apart from the jobs' 5400-5429 and the tests' 5600-5699
            // (docs/contract.md); OrderSearchSqlTest checks sql/order-search.sql's readers against these
            assertThat(ranges.get(i)[0]).isBetween(5430, 5459);
            assertThat(ranges.get(i)[1]).isBetween(ranges.get(i)[0], 5459);
            for (int j = 0; j < i; j++) {
                assertThat(ranges.get(i)[0] > ranges.get(j)[1] || ranges.get(i)[1] < ranges.get(j)[0])
                        .as("ranges overlap")
                        .isTrue();
            }
        }
    }

    @Test
    void kafkaTablesReadTheJobsTopicsAsTheJobsWriteThem() throws Exception {
        // Outputs: the fields the jobs' serializer writes for their message types.
        assertColumns("payment_results", PaystreamOptions.TOPIC_RESULTS, fieldsWritten(PaymentOutcome.class));
        assertColumns("payment_requery", PaystreamOptions.TOPIC_REQUERY, fieldsWritten(RequeryCommand.class));
        assertColumns("payment_alerts", PaystreamOptions.TOPIC_ALERTS, fieldsWritten(Alert.class));
        assertColumns(
                "refund_results",
                PaystreamOptions.TOPIC_REFUND_RESULTS,
                fieldsWritten(io.paystream.state.refunds.RefundOutcome.class));
        assertColumns(
                "refund_requery",
                PaystreamOptions.TOPIC_REFUND_REQUERY,
                fieldsWritten(io.paystream.state.refunds.RefundRequeryCommand.class));
        // Two shapes on one topic (a finding, a bill's summary mismatch): the table has both's fields.
        Map<String, String> reconciliation =
                new LinkedHashMap<>(fieldsWritten(io.paystream.state.reconcile.ReconcileFinding.class));
        reconciliation.putAll(fieldsWritten(io.paystream.state.reconcile.SummaryMismatch.class));
        assertColumns("payment_reconciliation", PaystreamOptions.TOPIC_RECONCILIATION, reconciliation);
        assertColumns("order_commands", PaystreamOptions.TOPIC_ORDER_COMMANDS, fieldsWritten(OrderCommand.class));
        assertColumns("paystream_dlq", PaystreamOptions.TOPIC_DLQ, fieldsWritten(DeadLetter.class));
        // Inputs: what the callback gateway and the query worker send (as simulated for the sandbox).
        SimulatedChannels channels = SimulatedChannels.generate();
        PaymentFacts facts = new PaymentFacts("P-1", "T-1", 100, "SUCCESS", Instant.now());
        CallbackEnvelope cb = channels.wechat()
                .notification(
                        facts,
                        Instant.now(),
                        SimulatedChannels.genuineAddress("WECHAT", 1),
                        io.paystream.channels.Forgery.NONE);
        assertColumns("payment_callbacks", PaystreamOptions.TOPIC_CALLBACKS, fieldsOf(JSON.readTree(cb.toJson())));
        assertColumns(
                "payment_query_results",
                PaystreamOptions.TOPIC_QUERY_RESULTS,
                fieldsOf(JSON.readTree(
                        channels.queryAnswers().answer("P-1:1:1", "WECHAT", facts, Instant.now(), false))));
        // A refund answer ("kind":"REFUND" in its payload) travels in the same envelope.
        assertColumns(
                "payment_query_results",
                PaystreamOptions.TOPIC_QUERY_RESULTS,
                fieldsOf(JSON.readTree(channels.queryAnswers()
                        .refundAnswer(
                                "R-1:1:1",
                                "WECHAT",
                                io.paystream.channels.RefundFacts.succeeded(
                                        "R-1", "P-1", "T-1", 100, 100, Instant.now()),
                                Instant.now(),
                                false))));
        for (String table : List.of(
                "payment_results",
                "payment_requery",
                "refund_results",
                "refund_requery",
                "payment_reconciliation",
                "payment_alerts",
                "order_commands",
                "paystream_dlq",
                "payment_callbacks",
                "payment_query_results")) {
            assertThat(options(table))
                    .containsEntry("connector", "kafka")
                    .containsEntry("format", "json")
                    .containsEntry("properties.isolation.level", "read_committed")
                    .containsEntry("properties.bootstrap.servers", "value-of-PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS");
        }
    }

    @Test
    void theIndexTableHasTheTemplatesFieldsAndTheConnectorsHostList() throws IOException {
        JsonNode properties = JSON.readTree(
                        Path.of("../elasticsearch/orders-template.json").toFile())
                .path("template")
                .path("mappings")
                .path("properties");
        Map<String, String> fields = new LinkedHashMap<>();
        properties.fieldNames().forEachRemaining(f -> fields.put(f, "?"));
        // extra.* holds the table mapping's own columns, whose names and types only a mapping gives.
        fields.remove("extra");
        assertThat(columns("order_documents").keySet()).containsExactlyInAnyOrderElementsOf(fields.keySet());
        assertThat(options("order_documents"))
                .containsEntry("connector", "elasticsearch-7")
                .containsEntry("index", "orders")
                .containsEntry("hosts", "http://es-1:9200;http://es-2:9200");
        // planned with the real factory: the sink accepts the table as declared
        tEnv.executeSql(
                "CREATE TEMPORARY TABLE generated_documents WITH ('connector' = 'datagen') LIKE order_documents (EXCLUDING OPTIONS)");
        assertThat(tEnv.explainSql("INSERT INTO order_documents SELECT * FROM generated_documents"))
                .contains("Sink(table=[default_catalog.default_database.order_documents]");
    }

    @Test
    void fillingQuotesValuesAndNamesEveryMissingOne() {
        String script =
                "-- ${PAYSTREAM_A} in a comment stays\n'x' = '${PAYSTREAM_A}', 'y' = '${PAYSTREAM_B}', 'z' = '${PAYSTREAM_C}'";
        assertThat(CatalogValues.fill(script, Map.of("PAYSTREAM_A", "it's", "PAYSTREAM_B", "b", "PAYSTREAM_C", "c")))
                .isEqualTo("-- ${PAYSTREAM_A} in a comment stays\n'x' = 'it''s', 'y' = 'b', 'z' = 'c'");
        assertThatThrownBy(() -> CatalogValues.fill(script, Map.of("PAYSTREAM_B", "b", "PAYSTREAM_C", "")))
                .hasMessageStartingWith("no value for PAYSTREAM_A, PAYSTREAM_C:");
    }

    @Test
    void theSandboxEndpointsFileGivesTheJobsVariables() throws IOException {
        Path file = ScratchDirectories.create("catalog-test").resolve("endpoints.json");
        io.paystream.servers.LocalServers.writeJson(
                file,
                Map.of(
                        "mysql.hostname",
                        "127.0.0.1",
                        "mysql.port",
                        "33061",
                        "mysql.cdc-username",
                        "paystream",
                        "mysql.cdc-password",
                        "s3cret",
                        "mysql.shop-username",
                        "shop_app",
                        "kafka.bootstrap-servers",
                        "127.0.0.1:39092",
                        "elasticsearch.url",
                        "http://127.0.0.1:9201"));
        assertThat(CatalogValues.fromSandboxEndpoints(file))
                .containsEntry("PAYSTREAM_MYSQL_HOSTNAME", "127.0.0.1")
                .containsEntry("PAYSTREAM_MYSQL_PORT", "33061")
                .containsEntry("PAYSTREAM_MYSQL_USERNAME", "paystream")
                .containsEntry("PAYSTREAM_MYSQL_PASSWORD", "s3cret")
                .containsEntry("PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:39092")
                .containsEntry("PAYSTREAM_ELASTICSEARCH_HOSTS", "http://127.0.0.1:9201");
    }

    // ---------------------------------------------------------------------------------------------

    private static void assertColumns(String table, ConfigOption<String> topic, Map<String, String> expected) {
        assertThat(options(table)).as(table).containsEntry("topic", topic.defaultValue());
        assertThat(columns(table)).as("columns of %s", table).containsExactlyInAnyOrderEntriesOf(expected);
    }

    /** Physical columns and their SQL types (without nullability). */
    private static Map<String, String> columns(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Column c : tEnv.from(table).getResolvedSchema().getColumns()) {
            if (c.isPhysical()) {
                out.put(c.getName(), c.getDataType().getLogicalType().copy(true).asSummaryString());
            }
        }
        return out;
    }

    private static Map<String, String> options(String table) {
        try {
            return tEnv.getCatalog("default_catalog")
                    .orElseThrow()
                    .getTable(new ObjectPath("default_database", table))
                    .getOptions();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON fields the jobs' serializer (JsonRecordSerializer's mapper) writes for a type, as SQL types. */
    private static Map<String, String> fieldsWritten(Class<?> type) {
        ObjectMapper mapper = JsonRecordSerializer.mapper();
        JavaType javaType = mapper.constructType(type);
        Map<String, String> out = new LinkedHashMap<>();
        for (BeanPropertyDefinition p :
                mapper.getSerializationConfig().introspect(javaType).findProperties()) {
            if (p.couldSerialize()) {
                out.put(p.getName(), sqlType(p.getRawPrimaryType()));
            }
        }
        return out;
    }

    private static String sqlType(Class<?> t) {
        if (t == String.class) {
            return "STRING";
        } else if (t == long.class || t == Long.class) {
            return "BIGINT";
        } else if (t == int.class || t == Integer.class) {
            return "INT";
        } else if (t.isEnum()) {
            return "STRING"; // written by name
        }
        throw new IllegalArgumentException("no SQL type for " + t);
    }

    /** The fields of a JSON object as sent, as SQL types. */
    private static Map<String, String> fieldsOf(JsonNode json) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            out.put(
                    f.getKey(),
                    v.isTextual()
                            ? "STRING"
                            : v.isIntegralNumber()
                                    ? "BIGINT"
                                    : v.isObject() ? "MAP<STRING, STRING>" : "?" + v.getNodeType());
        }
        return out;
    }

    static List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : sql.toString().split(";\\s*\n")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }
}
