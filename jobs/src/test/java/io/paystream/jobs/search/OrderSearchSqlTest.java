package io.paystream.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.Test;

/**
 * sql/order-search.sql parses, validates and plans with the real connector factories (mysql-cdc,
 * elasticsearch-7, json): a typo in an option or a column fails here, not in someone's SQL client.
 */
class OrderSearchSqlTest {
    static final Map<String, String> VALUES = Map.of(
            "MYSQL_HOSTNAME", "localhost", "MYSQL_PORT", "3306", "MYSQL_DATABASE", "shop",
            "MYSQL_USERNAME", "paystream", "PAYSTREAM_MYSQL_PASSWORD", "secret",
            "ELASTICSEARCH_HOSTS", "http://localhost:9200", "SEARCH_INDEX", "orders_sql");

    @Test
    void theScriptPlansAsOneUpsertIntoTheIndexFromThreeBinlogReaders() {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        List<String> statements = OrderSearchSql.statements(VALUES);
        String insert = statements.get(statements.size() - 1);
        assertThat(insert).startsWith("INSERT INTO order_search");
        for (String s : statements.subList(0, statements.size() - 1)) {
            OrderSearchSql.execute(tEnv, s);
        }
        assertThat(tEnv.getConfig().getConfiguration().toMap()).containsEntry("table.local-time-zone", "UTC");
        String plan = tEnv.explainSql(insert, ExplainDetail.CHANGELOG_MODE);
        assertThat(plan).contains("TableSourceScan(table=[[default_catalog, default_database, orders, metadata=[op_ts]]]")
                .contains("TableSourceScan(table=[[default_catalog, default_database, order_items, metadata=[op_ts]]]")
                .contains("TableSourceScan(table=[[default_catalog, default_database, payments, metadata=[op_ts]]]")
                .contains("ARRAY_AGG_RETRACT($f1) AS items")
                .contains("ARRAY_AGG_RETRACT($f1) AS payments");
        // What reaches the Elasticsearch sink: upserts and deletes by order id, no UPDATE_BEFORE
        // (which the sink would turn into a delete before the insert): the planner derives the
        // upsert key order_id through both left joins.
        String physical = plan.substring(plan.indexOf("== Optimized Physical Plan =="));
        String intoSink = physical.lines().filter(l -> l.startsWith("+- Calc(")).findFirst().orElseThrow();
        assertThat(intoSink).endsWith("changelogMode=[I,UA,D])");
    }
}
