package io.paystream.sqlrunner;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.jobs.mapping.TableMapping;
import io.paystream.servers.ScratchDirectories;
import io.paystream.state.cdc.ShopTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog generated from the "mall" mapping (jobs/src/test/resources/mapping: the order system
 * on the default server, the payment center sharded on its own server): its DDL, its views planned
 * with the real connector against the contract tables' columns, and its conversions run on rows as
 * the connector gives them (Flink batch, no servers) against the values the jobs compute.
 */
class MappedCatalogTest {
    static final Path MAPPING_DIR = Path.of("../../jobs/src/test/resources/mapping");
    static final String PAYCENTER_PASSWORD = "pc-secret-'42";
    static final String SHOP_PASSWORD = "shop-secret";

    static ShopMapping mall;
    static MappedCatalog catalog;

    @BeforeAll
    static void theMallMapping() throws Exception {
        Path dir = ScratchDirectories.create("mapped-catalog");
        Path password = dir.resolve("paycenter.password");
        Files.writeString(password, PAYCENTER_PASSWORD + "\n");
        String yaml = Files.readString(MAPPING_DIR.resolve("mall.yaml"))
                .replace("${PAYCENTER_HOST}", "paycenter-db")
                .replace("${PAYCENTER_PORT}", "3307")
                .replace("${PAYCENTER_PASSWORD_FILE}", password.toString());
        Settings settings = Settings.load(
                new String[] {"--mysql.hostname", "shop-db", "--mysql.username", "paystream"},
                Map.of("PAYSTREAM_MYSQL_PASSWORD", SHOP_PASSWORD),
                List.of(
                        PaystreamOptions.MYSQL_HOSTNAME,
                        PaystreamOptions.MYSQL_PORT,
                        PaystreamOptions.MYSQL_DATABASE,
                        PaystreamOptions.MYSQL_USERNAME,
                        PaystreamOptions.MYSQL_PASSWORD,
                        PaystreamOptions.MYSQL_SERVER_TIME_ZONE,
                        PaystreamOptions.MYSQL_MAPPING));
        mall = ShopMapping.parse("mall.yaml", yaml, settings, Map.of());
        catalog = new MappedCatalog(mall, ddlColumns("mall-shop.sql", "mall-paycenter.sql"));
    }

    /** The column types of the test schemas' DDL, as information_schema gives them. */
    static MappedCatalog.ColumnTypes ddlColumns(String... scripts) throws Exception {
        Map<String, MappedCatalog.ColumnType> byTable = new HashMap<>();
        Pattern create = Pattern.compile("CREATE TABLE `(\\w+)`\\.`(\\w+)` \\(|CREATE TABLE `(\\w+)` \\(");
        Pattern column = Pattern.compile("^\\s+`(\\w+)` (([a-z]+)(\\([0-9,]+\\))?)");
        for (String script : scripts) {
            String table = null;
            for (String line : Files.readString(MAPPING_DIR.resolve(script)).split("\n")) {
                Matcher c = create.matcher(line);
                Matcher col = column.matcher(line);
                if (c.find()) {
                    table = c.group(2) != null ? c.group(2) : c.group(3);
                } else if (table != null && col.find()) {
                    byTable.put(table + "." + col.group(1), new MappedCatalog.ColumnType(col.group(3), col.group(2)));
                }
            }
        }
        return (TableMapping t, String c) -> byTable.get((t.tableIsPattern ? "t_pay_order_0" : t.tableName) + "." + c);
    }

    @Test
    void eachLogicalTableIsACdcTableOnItsServerAndAViewWithTheContractsName() {
        String ddl = catalog.ddl();
        assertThat(ddl)
                .contains("CREATE TABLE orders_cdc (\n"
                        + "  `order_sn` STRING,\n"
                        + "  `member_id` STRING,\n"
                        + "  `status` STRING,\n"
                        + "  `pay_amount` STRING,\n"
                        + "  `receiver_detail_address` STRING,\n"
                        + "  `create_time` TIMESTAMP(3),\n"
                        + "  `modify_time` TIMESTAMP(3),\n"
                        + "  op_ts TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,\n"
                        + "  PRIMARY KEY (`order_sn`) NOT ENFORCED\n"
                        + ") WITH (\n"
                        + "  'connector' = 'mysql-cdc',\n"
                        + "  'hostname' = 'shop-db',\n"
                        + "  'port' = '3306',\n"
                        + "  'username' = 'paystream',\n"
                        + "  'password' = '${PAYSTREAM_MAPPING_PASSWORD_SHOP}',\n"
                        + "  'database-name' = 'mall_oms',\n"
                        + "  'table-name' = 'oms_order',\n"
                        + "  'server-id' = '5430-5433',\n")
                // the payment center: its own server, shards by pattern, fen, codes, DATETIME(3) in Shanghai
                .contains("CREATE TABLE payments_cdc (\n  `pay_order_id` STRING,\n")
                .contains("  'hostname' = 'paycenter-db',\n  'port' = '3307',\n")
                .contains("  'password' = '${PAYSTREAM_MAPPING_PASSWORD_PAYCENTER}',\n")
                .contains("  'database-name' = 'pay_[0-9]+',\n  'table-name' = 't_pay_order_[0-9]+',\n"
                        + "  'server-id' = '5438-5441',\n  'server-time-zone' = 'UTC',\n")
                .contains("  'jdbc.properties.tinyInt1isBit' = 'false',\n")
                .contains(
                        "CAST(CAST(TRY_CAST(`amount` AS BIGINT) AS DECIMAL(12, 2)) / 100 AS DECIMAL(12, 2)) AS amount")
                .contains("CASE WHEN TRY_CAST(`state` AS BIGINT) IN (0) THEN 'CREATED'")
                .contains("WHEN TRY_CAST(`state` AS BIGINT) IN (4, 6) THEN 'CLOSED'")
                .contains("CASE WHEN `if_code` IN ('alipay') THEN 'ALIPAY'")
                .contains("CONVERT_TZ(DATE_FORMAT(`created_at`, 'yyyy-MM-dd HH:mm:ss'), 'Asia/Shanghai', 'UTC')")
                // inventory: no deduct-mode column, per-SKU values; a limit for one SKU only
                .contains("CAST(CASE TRY_CAST(`id` AS BIGINT) WHEN 502 THEN 'PAYMENT' ELSE 'ORDER' END AS STRING)"
                        + " AS deduct_mode")
                .contains("CAST(CASE TRY_CAST(`id` AS BIGINT) WHEN 501 THEN CAST(3 AS INT)"
                        + " ELSE CAST(NULL AS INT) END AS INT) AS per_user_limit")
                // no client-ip column: a typed NULL
                .contains("CAST(CAST(NULL AS STRING) AS STRING) AS client_ip")
                .contains("CREATE VIEW orders AS\nSELECT\n")
                .contains("CREATE VIEW order_items AS\n")
                .contains("CREATE VIEW payments AS\n")
                .contains("CREATE VIEW inventory AS\n")
                .doesNotContain(SHOP_PASSWORD)
                .doesNotContain("pc-secret");
        assertThat(catalog.passwords())
                .containsExactly(
                        Map.entry("PAYSTREAM_MAPPING_PASSWORD_SHOP", SHOP_PASSWORD),
                        Map.entry("PAYSTREAM_MAPPING_PASSWORD_PAYCENTER", PAYCENTER_PASSWORD));
    }

    @Test
    void theViewsHaveTheContractTablesColumnsAndTypesAndPlanWithTheConnector() throws Exception {
        String contractCatalog = Files.readString(CatalogTest.CATALOG);
        TableEnvironment contract = catalogEnvironment(contractCatalog);
        String mappedCatalog = MappedTables.replaceShopTables(contractCatalog, catalog.ddl());
        assertThat(mappedCatalog).doesNotContain("CREATE TABLE orders (").contains("CREATE VIEW orders AS");
        TableEnvironment mapped = catalogEnvironment(mappedCatalog);
        for (ShopTable t : MappedCatalog.TABLES) {
            ResolvedSchema want = contract.from(t.tableName()).getResolvedSchema();
            ResolvedSchema got = mapped.from(t.tableName()).getResolvedSchema();
            assertThat(got.getColumnNames()).as(t.tableName()).isEqualTo(want.getColumnNames());
            for (int i = 0; i < want.getColumnCount(); i++) {
                assertThat(got.getColumnDataTypes().get(i).getLogicalType().copy(true))
                        .as(t.tableName() + "." + want.getColumnNames().get(i))
                        .isEqualTo(want.getColumnDataTypes()
                                .get(i)
                                .getLogicalType()
                                .copy(true));
            }
            // planned with the mysql-cdc factory: options and columns are accepted
            assertThat(mapped.explainSql("SELECT * FROM " + t.tableName())).contains(MappedCatalog.cdcTable(t));
        }
        // sql/order-search.sql's hinted reads plan on the views too (the hint goes to the CDC table)
        String hinted = catalog.rewrite("SELECT o.order_id, o.status FROM orders /*+ OPTIONS('server-id' = "
                + "'5446-5449', 'scan.startup.mode' = 'initial') */ AS o");
        assertThat(mapped.explainSql(hinted)).contains("orders_cdc");
    }

    @Test
    void statementsFlinkRefusesOnAViewGoToTheCdcTable() {
        assertThat(
                        catalog.rewrite(
                                "ALTER TABLE payments SET ('scan.startup.mode' = 'snapshot', 'scan.read-changelog-as-append-only.enabled' = 'true')"))
                .isEqualTo(
                        "ALTER TABLE payments_cdc SET ('scan.startup.mode' = 'snapshot', 'scan.read-changelog-as-append-only.enabled' = 'true')");
        assertThat(catalog.rewrite("ALTER TABLE payment_alerts SET ('scan.bounded.mode' = 'latest-offset')"))
                .isEqualTo("ALTER TABLE payment_alerts SET ('scan.bounded.mode' = 'latest-offset')");
        String q = catalog.rewrite(
                "SELECT order_id FROM order_items /*+ OPTIONS('server-id' = '5450-5453') */\n" + "GROUP BY order_id");
        assertThat(q)
                .startsWith("SELECT order_id FROM (SELECT\n")
                .contains("FROM order_items_cdc /*+ OPTIONS('server-id' = '5450-5453') */) AS order_items\n"
                        + "GROUP BY order_id");
        assertThat(catalog.rewrite("SELECT * FROM orders AS o JOIN payments p ON p.order_id = o.order_id"))
                .isEqualTo("SELECT * FROM orders AS o JOIN payments p ON p.order_id = o.order_id");
    }

    @Test
    void theViewsConvertAsTheJobsDo() throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.getConfig().getConfiguration().setString("table.local-time-zone", "UTC");
        // The CDC tables as the connector gives their rows: binlog values' text, DATETIME as wall clock.
        env.executeSql("CREATE TEMPORARY VIEW orders_cdc AS SELECT order_sn, member_id, status, pay_amount,"
                + " receiver_detail_address, create_time, modify_time, CAST(NULL AS TIMESTAMP_LTZ(3)) AS op_ts"
                + " FROM (VALUES"
                + " ('202612010000123', '100', '0', '12.34', 'No. 1 Road', TIMESTAMP '2026-11-27 10:00:00.000',"
                + "   TIMESTAMP '2026-11-27 10:00:00.000'),"
                + " ('202612010000124', '101', '3', '20.00', CAST(NULL AS STRING), TIMESTAMP '2026-11-27 00:30:00.000',"
                + "   TIMESTAMP '2026-11-27 00:31:00.000'),"
                + " ('SO-1', '102', '9', '1.00', 'x', TIMESTAMP '2026-01-01 00:00:00.000', CAST(NULL AS TIMESTAMP(3))))"
                + " AS t(order_sn, member_id, status, pay_amount, receiver_detail_address, create_time, modify_time)");
        env.executeSql(
                "CREATE TEMPORARY VIEW payments_cdc AS SELECT pay_order_id, mch_order_no, if_code, amount,"
                        + " state, channel_order_no, created_at, updated_at, CAST(NULL AS TIMESTAMP_LTZ(3)) AS op_ts"
                        + " FROM (VALUES"
                        + " ('P-1', '202612010000123', 'wxpay', '1234', '1', CAST(NULL AS STRING),"
                        + "   TIMESTAMP '2026-11-27 10:00:01.250', TIMESTAMP '2026-11-27 10:00:02.999'),"
                        + " ('P-2', '202612010000124', 'ysfpay', '2000', '6', 'u-1',"
                        + "   TIMESTAMP '2026-11-27 00:30:30.000', TIMESTAMP '2026-11-27 00:30:40.000'))"
                        + " AS t(pay_order_id, mch_order_no, if_code, amount, state, channel_order_no, created_at, updated_at)");
        env.executeSql("CREATE TEMPORARY VIEW inventory_cdc AS SELECT id, sku_code, stock,"
                + " CAST(NULL AS TIMESTAMP_LTZ(3)) AS op_ts FROM (VALUES ('501', 'sku-501', '10'), ('502', 'sku-502', '5'),"
                + " ('503', 'sku-503', '0')) AS t(id, sku_code, stock)");
        for (String statement : CatalogTest.statements(catalog.ddl())) {
            if (statement.startsWith("CREATE VIEW orders ")
                    || statement.startsWith("CREATE VIEW payments ")
                    || statement.startsWith("CREATE VIEW inventory ")) {
                env.executeSql(statement);
            }
        }
        assertThat(rows(env, "SELECT * FROM orders ORDER BY created_at"))
                .containsExactly(
                        // an order number with letters: no order id (the jobs send the row to the dead letters)
                        "null|102|null|1.00|" + sha256("102", "1.00", "x") + "|null|2025-12-31T16:00|null|null",
                        // 00:30 in Shanghai is 16:30 the day before in UTC; a completed order (3) is PAID
                        "202612010000124|101|PAID|20.00|" + sha256("101", "20.00", "")
                                + "|null|2026-11-26T16:30|2026-11-26T16:31|null",
                        "202612010000123|100|CREATED|12.34|" + sha256("100", "12.34", "No. 1 Road")
                                + "|null|2026-11-27T02:00|2026-11-27T02:00|null");
        assertThat(rows(env, "SELECT * FROM payments ORDER BY payment_id"))
                .containsExactly(
                        "P-1|202612010000123|WECHAT|12.34|PAYING|null|2026-11-27T02:00:01.250|2026-11-27T02:00:02.999|null",
                        "P-2|202612010000124|UNIONPAY|20.00|CLOSED|u-1|2026-11-26T16:30:30|2026-11-26T16:30:40|null");
        assertThat(rows(env, "SELECT * FROM inventory ORDER BY sku_id"))
                .containsExactly(
                        "501|sku-501|10|ORDER|3|null|null",
                        "502|sku-502|5|PAYMENT|null|null|null",
                        "503|sku-503|0|ORDER|null|null|null");
        // the same conversion from an offset zone and across a daylight-saving change
        assertThat(rows(
                        env,
                        "SELECT " + MappedCatalog.inUtc("TIMESTAMP '2026-07-01 12:00:00.5'", "America/New_York")
                                + ", " + MappedCatalog.inUtc("TIMESTAMP '2026-01-01 12:00:00'", "America/New_York")
                                + ", " + MappedCatalog.inUtc("TIMESTAMP '2026-01-01 00:00:00'", "GMT+08:00")))
                .containsExactly("2026-07-01T16:00:00.500|2026-01-01T17:00|2025-12-31T16:00");
    }

    static String sha256(String... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(d.digest(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> rows(TableEnvironment env, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(query).collect()) {
            while (it.hasNext()) {
                Row r = it.next();
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < r.getArity(); i++) {
                    cells.add(String.valueOf(r.getField(i)));
                }
                out.add(String.join("|", cells));
            }
        }
        return out;
    }

    private static TableEnvironment catalogEnvironment(String catalogText) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : CatalogValues.placeholders(catalogText)) {
            values.put(name, "value-of-" + name);
        }
        values.put("PAYSTREAM_MYSQL_PORT", "3306");
        values.put("PAYSTREAM_ELASTICSEARCH_HOSTS", "http://es-1:9200");
        for (String statement : CatalogTest.statements(CatalogValues.fill(catalogText, values))) {
            if (statement.startsWith("SET ")) {
                continue;
            }
            env.executeSql(statement);
        }
        return env;
    }
}
