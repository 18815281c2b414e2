package io.paystream.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.ObjectPath;
import org.junit.jupiter.api.Test;

/**
 * sql/order-search.sql on top of sql/catalog.sql parses, validates and plans with the real
 * connector factories (mysql-cdc, elasticsearch-7, json): a typo in an option or a column fails
 * here, not in someone's SQL client.
 */
class OrderSearchSqlTest {
    static final Map<String, String> VALUES = Map.of(
            "PAYSTREAM_MYSQL_HOSTNAME",
            "localhost",
            "PAYSTREAM_MYSQL_PORT",
            "3306",
            "PAYSTREAM_MYSQL_DATABASE",
            "shop",
            "PAYSTREAM_MYSQL_USERNAME",
            "paystream",
            "PAYSTREAM_MYSQL_PASSWORD",
            "secret",
            "PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS",
            "localhost:9092",
            "PAYSTREAM_ELASTICSEARCH_HOSTS",
            "http://localhost:9200");
    /** The SQL client's server ids (docs/contract.md): the catalog's tables and the scripts on it. */
    static final long[] SQL_CLIENT_IDS = {5430, 5459};

    @Test
    void theScriptPlansAsOneUpsertIntoItsIndexFromThreeBinlogReadersOfItsOwn() throws Exception {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        List<String> statements = OrderSearchSql.statements(VALUES);
        String insert = statements.get(statements.size() - 1);
        assertThat(insert)
                .startsWith("INSERT INTO order_documents /*+ OPTIONS('index' = '" + OrderSearchSql.INDEX + "') */");
        for (String s : statements.subList(0, statements.size() - 1)) {
            OrderSearchSql.execute(tEnv, s);
        }
        // Only what the catalog lacks: the script adds views, no table.
        assertThat(tEnv.listTables())
                .containsExactlyInAnyOrder(
                        "orders",
                        "order_items",
                        "payments",
                        "inventory",
                        "payment_callbacks",
                        "payment_query_results",
                        "payment_results",
                        "payment_requery",
                        "refund_results",
                        "refund_requery",
                        "payment_reconciliation",
                        "payment_alerts",
                        "order_commands",
                        "paystream_dlq",
                        "order_documents",
                        "items_by_order",
                        "payments_by_order");
        assertThat(tEnv.listViews()).containsExactlyInAnyOrder("items_by_order", "payments_by_order");
        assertThat(tEnv.getConfig().getConfiguration().toMap())
                .containsEntry("table.local-time-zone", "UTC")
                .containsEntry("execution.runtime-mode", "streaming");

        String plan = tEnv.explainSql(insert, ExplainDetail.CHANGELOG_MODE);
        assertThat(plan).contains("ARRAY_AGG_RETRACT($f1) AS items").contains("ARRAY_AGG_RETRACT($f1) AS payments");
        // What reaches the Elasticsearch sink: upserts and deletes by order id, no UPDATE_BEFORE
        // (which the sink would turn into a delete before the insert): the planner derives the
        // upsert key order_id through both left joins.
        String physical = plan.substring(
                plan.indexOf("== Optimized Physical Plan =="), plan.indexOf("== Optimized Execution Plan =="));
        String intoSink = physical.lines()
                .filter(l -> l.startsWith("+- Calc("))
                .findFirst()
                .orElseThrow();
        assertThat(intoSink).endsWith("changelogMode=[I,UA,D])");
        assertThat(physical)
                .contains("Sink(table=[default_catalog.default_database.order_documents]")
                .contains("hints=[[[OPTIONS options:{index=" + OrderSearchSql.INDEX + "}]]]");

        // Each table is read once, snapshot then binlog, as a changelog, with server ids of its own.
        Map<String, long[]> readers = new LinkedHashMap<>();
        for (String table : List.of("orders", "order_items", "payments")) {
            Matcher scan = Pattern.compile("TableSourceScan\\(table=\\[\\[default_catalog, default_database, " + table
                            + ", metadata=\\[op_ts]]], fields=\\[[^]]*], hints=\\[\\[\\[OPTIONS options:\\{([^}]*)}]]]")
                    .matcher(physical);
            assertThat(scan.find())
                    .as("one scan of %s with hints in\n%s", table, physical)
                    .isTrue();
            assertThat(scan.find()).as("a second scan of " + table).isFalse();
            scan.reset().find();
            Map<String, String> hinted = options(scan.group(1));
            assertThat(hinted)
                    .containsEntry("scan.startup.mode", "initial")
                    .containsEntry("scan.read-changelog-as-append-only.enabled", "false");
            readers.put("sql/order-search.sql reading " + table, range(hinted.get("server-id")));
        }
        // Apart from the catalog's own readers (free for exploring while the sync runs) and the jobs.
        for (String table : List.of("orders", "order_items", "payments", "inventory")) {
            String ids = tEnv.getCatalog("default_catalog")
                    .orElseThrow()
                    .getTable(new ObjectPath("default_database", table))
                    .getOptions()
                    .get("server-id");
            readers.put("sql/catalog.sql " + table, range(ids));
        }
        readers.values()
                .forEach(r -> assertThat(r[0] >= SQL_CLIENT_IDS[0] && r[1] <= SQL_CLIENT_IDS[1])
                        .isTrue());
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            readers.put("job " + job.name(), range((String)
                    job.getClass().getField("SERVER_IDS").get(null)));
        }
        List<String> names = new ArrayList<>(readers.keySet());
        for (int a = 0; a < names.size(); a++) {
            for (int b = a + 1; b < names.size(); b++) {
                long[] x = readers.get(names.get(a));
                long[] y = readers.get(names.get(b));
                assertThat(x[1] < y[0] || y[1] < x[0])
                        .as(names.get(a) + " overlaps " + names.get(b))
                        .isTrue();
            }
        }
    }

    private static Map<String, String> options(String hint) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : hint.split(",\\s*")) {
            String[] p = kv.split("=", 2);
            out.put(p[0].strip(), p[1].strip());
        }
        return out;
    }

    private static long[] range(String ids) {
        String[] r = ids.split("-");
        return new long[] {Long.parseLong(r[0]), Long.parseLong(r[r.length - 1])};
    }
}
