package io.paystream.sqlrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.servers.KafkaServer;
import io.paystream.servers.LocalServers;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import io.paystream.sqlrunner.Tableau.Table;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/sql-client with the "mall" mapping on real MariaDB (the order system's databases on the
 * shared server, the payment center's sharded pay orders on a second server with its password in a
 * file): the same shop written to the contract schema and to the mall schema gives the same answers
 * to the explore scripts, run unchanged, and the same rows in the logical tables.
 */
class MappedExploreIT {
    static final Path MAPPING_DIR = SqlClientProcess.ROOT.resolve("jobs/src/test/resources/mapping");
    static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);
    static final String CONTRACT_DB = "mapped_contract";

    static MariaDbServer db;
    static MariaDbServer paycenter;
    static KafkaServer kafka;
    static Path dir;
    static Path mappingFile;

    @BeforeAll
    static void theSameShopInBothSchemas() throws Exception {
        db = SharedServers.mariaDb();
        kafka = SharedServers.kafka();
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(PaystreamOptions.TOPIC_REQUERY.defaultValue(), 2);
        topics.put(PaystreamOptions.TOPIC_ALERTS.defaultValue(), 2);
        kafka.createTopics(topics);
        dir = ScratchDirectories.create("mapped-explore-it");

        db.createShopDatabase(CONTRACT_DB);
        db.runScript(Files.readString(MAPPING_DIR.resolve("mall-shop.sql")), "mall_oms", "mall_pms");
        paycenter = MariaDbServer.start(
                dir.resolve("paycenter"), 0, LocalServers.randomSecret(), LocalServers.randomSecret());
        paycenter.runScript(Files.readString(MAPPING_DIR.resolve("mall-paycenter.sql")), "pay_0", "pay_1");
        Path password = dir.resolve("paycenter.password");
        Files.writeString(password, paycenter.cdcPassword());
        mappingFile = dir.resolve("mall.yaml");
        Files.writeString(
                mappingFile,
                Files.readString(MAPPING_DIR.resolve("mall.yaml"))
                        .replace("${PAYCENTER_HOST}", paycenter.host())
                        .replace("${PAYCENTER_PORT}", String.valueOf(paycenter.port()))
                        .replace("${PAYCENTER_PASSWORD_FILE}", password.toString()));

        // Times: UTC in the contract schema, Asia/Shanghai (UTC+8) wall clock in the mall schema.
        String h1 = MappedCatalogTest.sha256("100", "12.34", "No. 1 Road");
        String h2 = MappedCatalogTest.sha256("101", "20.00", "No. 2 Road");
        String h3 = MappedCatalogTest.sha256("102", "24.00", "");
        String h4 = MappedCatalogTest.sha256("103", "40.00", "No. 4 Road");
        String h5 = MappedCatalogTest.sha256("104", "9.99", "No. 5 Road");
        exec(
                db,
                "INSERT INTO " + CONTRACT_DB + ".orders VALUES"
                        + " (202612010000123, 100, 'CREATED', 12.34, '" + h1
                        + "', NULL, '2026-01-01 02:00:00', '2026-01-01 02:00:00'),"
                        + " (202612010000124, 101, 'PAID', 20.00, '" + h2
                        + "', NULL, '2025-12-31 16:30:00', '2025-12-31 16:31:00'),"
                        + " (202612010000125, 102, 'CREATED', 24.00, '" + h3
                        + "', NULL, '2026-01-01 03:00:00', '2026-01-01 03:00:00'),"
                        + " (202612010000126, 103, 'CANCELLED', 40.00, '" + h4
                        + "', NULL, '2026-01-01 04:00:00', '2026-01-01 05:00:00'),"
                        + " (202612010000127, 104, 'CREATED', 9.99, '" + h5
                        + "', NULL, '2026-01-01 06:00:00', '2026-01-01 06:00:00')",
                "INSERT INTO " + CONTRACT_DB + ".order_items VALUES (11, 202612010000123, 501, 2, 6.17),"
                        + " (21, 202612010000124, 501, 1, 10.00), (22, 202612010000124, 502, 1, 10.00),"
                        + " (31, 202612010000125, 502, 2, 12.00), (41, 202612010000126, 501, 4, 10.00),"
                        + " (51, 202612010000127, 503, 1, 9.99)",
                "INSERT INTO " + CONTRACT_DB + ".payments VALUES"
                        + " ('P-M1', 202612010000123, 'WECHAT', 12.34, 'PAYING', NULL, '2026-01-01 02:00:01', '2026-01-01 02:00:02.250'),"
                        + " ('P-M3', 202612010000125, 'ALIPAY', 24.00, 'SUCCESS', 'ali-3', '2026-01-01 03:00:01', '2026-01-01 03:00:09'),"
                        + " ('P-M5', 202612010000127, 'UNIONPAY', 9.99, 'PAYING', NULL, '2026-01-01 06:00:01', '2026-01-01 06:00:05.500'),"
                        + " ('P-M6', 202612010000126, 'WECHAT', 40.00, 'CLOSED', NULL, '2026-01-01 04:00:01', '2026-01-01 05:00:00')",
                "INSERT INTO " + CONTRACT_DB
                        + ".inventory VALUES (501, 'sku-501', 10, 'ORDER', 3, '2026-01-01 00:00:00'),"
                        + " (502, 'sku-502', 5, 'PAYMENT', NULL, '2026-01-01 00:00:00'),"
                        + " (503, 'sku-503', 4, 'ORDER', NULL, '2026-01-01 00:00:00')");
        exec(
                db,
                "INSERT INTO mall_oms.oms_order (id, member_id, order_sn, create_time, total_amount, pay_amount, status,"
                        + " receiver_name, receiver_detail_address, modify_time) VALUES"
                        + " (1, 100, '202612010000123', '2026-01-01 10:00:00', 12.34, 12.34, 0, 'a', 'No. 1 Road', '2026-01-01 10:00:00'),"
                        + " (2, 101, '202612010000124', '2026-01-01 00:30:00', 20.00, 20.00, 3, 'b', 'No. 2 Road', '2026-01-01 00:31:00'),"
                        + " (3, 102, '202612010000125', '2026-01-01 11:00:00', 24.00, 24.00, 0, 'c', NULL, '2026-01-01 11:00:00'),"
                        + " (4, 103, '202612010000126', '2026-01-01 12:00:00', 40.00, 40.00, 5, 'd', 'No. 4 Road', '2026-01-01 13:00:00'),"
                        + " (5, 104, '202612010000127', '2026-01-01 14:00:00', 9.99, 9.99, 0, 'e', 'No. 5 Road', '2026-01-01 14:00:00')",
                "INSERT INTO mall_oms.oms_order_item (id, order_id, order_sn, product_sku_id, product_price, product_quantity)"
                        + " VALUES (11, 1, '202612010000123', 501, 6.17, 2), (21, 2, '202612010000124', 501, 10.00, 1),"
                        + " (22, 2, '202612010000124', 502, 10.00, 1), (31, 3, '202612010000125', 502, 12.00, 2),"
                        + " (41, 4, '202612010000126', 501, 10.00, 4), (51, 5, '202612010000127', 503, 9.99, 1)",
                "INSERT INTO mall_pms.pms_sku_stock (id, product_id, sku_code, price, stock) VALUES"
                        + " (501, 1, 'sku-501', 6.17, 10), (502, 2, 'sku-502', 10.00, 5), (503, 3, 'sku-503', 9.99, 4)");
        exec(
                paycenter,
                "INSERT INTO pay_1.t_pay_order_0 VALUES ('P-M1', '202612010000123', 'wxpay', 1234, 1, NULL,"
                        + " '2026-01-01 10:00:01', '2026-01-01 10:00:02.250')",
                "INSERT INTO pay_0.t_pay_order_1 VALUES ('P-M3', '202612010000125', 'alipay', 2400, 2, 'ali-3',"
                        + " '2026-01-01 11:00:01', '2026-01-01 11:00:09')",
                "INSERT INTO pay_0.t_pay_order_0 VALUES ('P-M5', '202612010000127', 'ysfpay', 999, 1, NULL,"
                        + " '2026-01-01 14:00:01', '2026-01-01 14:00:05.500')",
                "INSERT INTO pay_1.t_pay_order_1 VALUES ('P-M6', '202612010000126', 'wxpay', 4000, 6, NULL,"
                        + " '2026-01-01 12:00:01', '2026-01-01 13:00:00')");
    }

    @AfterAll
    static void stopThePaymentCenter() {
        if (paycenter != null) {
            paycenter.close();
        }
    }

    @Test
    void stockPerSkuGivesTheContractSchemasAnswerOnTheMallSchema() throws Exception {
        Table contract = onlyTable(run(contractEnv(), List.of("-f", "sql/explore/stock-per-sku.sql")));
        Table mall = onlyTable(run(
                mallEnv(), List.of("--mysql.mapping", mappingFile.toString(), "-f", "sql/explore/stock-per-sku.sql")));
        assertThat(contract.rows())
                .containsExactly(
                        // reserved: order ...123 (open, 2); sold: ...124 (PAID, 1); ...126 CANCELLED releases 4
                        List.of("501", "sku-501", "ORDER", "10", "2", "1", "7", "0"),
                        // deduct on payment: sold ...124 (1) and ...125 (payment SUCCESS, 2)
                        List.of("502", "sku-502", "PAYMENT", "5", "0", "3", "2", "0"),
                        List.of("503", "sku-503", "ORDER", "4", "1", "0", "3", "0"));
        assertThat(mall).isEqualTo(contract);
    }

    @Test
    void stuckPaymentsGivesTheContractSchemasAnswerOnTheMallSchema() throws Exception {
        Table contract = onlyTable(run(contractEnv(), List.of("-f", "sql/explore/stuck-payments.sql")));
        // the mapping by environment this time, as the jobs take it
        Map<String, String> env = mallEnv();
        env.put("PAYSTREAM_MYSQL_MAPPING", mappingFile.toString());
        Table mall = onlyTable(run(env, List.of("-f", "sql/explore/stuck-payments.sql")));
        assertThat(contract.column("payment_id")).containsExactly("P-M1", "P-M5");
        assertThat(contract.column("paying_since"))
                .containsExactly("2026-01-01 02:00:02.250", "2026-01-01 06:00:05.500");
        assertThat(mall.columns()).isEqualTo(contract.columns());
        // all but paying_for_s, which counts up to the moment each run looked
        for (String column :
                List.of("payment_id", "order_id", "channel", "amount", "paying_since", "requeries", "lost_alert")) {
            assertThat(mall.column(column)).as(column).isEqualTo(contract.column(column));
        }
    }

    @Test
    void theLogicalTablesHoldTheContractsRowsAndReadWithHints() throws Exception {
        // Hints on the logical tables (as sql/order-search.sql has them): on the views they go to the CDC tables.
        Path script = dir.resolve("tables.sql");
        String snapshot = " /*+ OPTIONS('scan.startup.mode' = 'snapshot', "
                + "'scan.read-changelog-as-append-only.enabled' = 'true', 'server-id' = '5446-5449') */";
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "SET 'execution.runtime-mode' = 'batch';",
                        "SET 'sql-client.execution.result-mode' = 'tableau';",
                        "SELECT order_id, user_id, status, total_amount, submit_hash, client_ip, created_at, updated_at"
                                + " FROM orders" + snapshot + " AS o ORDER BY order_id;",
                        "SELECT payment_id, order_id, channel, amount, status, channel_txn_id, created_at, updated_at"
                                + " FROM payments" + snapshot + " ORDER BY payment_id;",
                        ""));
        List<Table> contract = run(contractEnv(), List.of("-f", script.toString()));
        List<Table> mall = run(mallEnv(), List.of("--mysql.mapping", mappingFile.toString(), "-f", script.toString()));
        assertThat(contract).hasSize(2);
        assertThat(contract.get(0).rows()).hasSize(5);
        assertThat(contract.get(1).column("channel")).containsExactly("WECHAT", "ALIPAY", "UNIONPAY", "WECHAT");
        assertThat(mall).isEqualTo(contract);
    }

    // ---------------------------------------------------------------------------------------------

    private static Map<String, String> contractEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PAYSTREAM_MYSQL_HOSTNAME", db.host());
        env.put("PAYSTREAM_MYSQL_PORT", String.valueOf(db.port()));
        env.put("PAYSTREAM_MYSQL_DATABASE", CONTRACT_DB);
        env.put("PAYSTREAM_MYSQL_USERNAME", MariaDbServer.CDC_USER);
        env.put("PAYSTREAM_MYSQL_PASSWORD", db.cdcPassword());
        env.put("PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("PAYSTREAM_ELASTICSEARCH_HOSTS", "http://127.0.0.1:9");
        return env;
    }

    /** The shop server (the mapping's server "shop") from the mysql.* settings, as for the jobs. */
    private static Map<String, String> mallEnv() {
        Map<String, String> env = contractEnv();
        env.remove("PAYSTREAM_MYSQL_DATABASE");
        return env;
    }

    private static Table onlyTable(List<Table> tables) {
        assertThat(tables).hasSize(1);
        return tables.get(0);
    }

    private static List<Table> run(Map<String, String> env, List<String> args) throws Exception {
        File out = Files.createTempFile(dir, "sql-client", ".out").toFile();
        Path logDir = Files.createTempDirectory(dir, "log");
        ProcessBuilder pb = SqlClientProcess.builder(args, env, logDir, out.toPath());
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(args + " did not end within " + SCRIPT_TIMEOUT + ":\n" + Files.readString(out.toPath()));
        }
        String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        System.out.printf("%s ran in %d ms%n", args, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(p.exitValue())
                .as("exit status of %s, output:\n%s", args, output)
                .isZero();
        assertThat(output).as("output of %s", args).doesNotContain("[ERROR]");
        String log = Files.readString(logDir.resolve("sql-client.log"));
        assertThat(log + output)
                .as("the client's log and output")
                .doesNotContain(db.cdcPassword())
                .doesNotContain(paycenter.cdcPassword());
        return new ArrayList<>(Tableau.tables(output));
    }

    private static void exec(MariaDbServer server, String... sql) throws Exception {
        try (Connection c = server.rootConnection();
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
