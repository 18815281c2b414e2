package io.paystream.jobs.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.jobs.cdc.ShopCdcSource;
import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobEnvironment;
import io.paystream.jobs.testing.Collected;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same business events written to the contract schema and to the "mall" schema (two servers,
 * two databases, sharded pay orders, text order numbers, TINYINT(1) and integer status codes, fen,
 * channel codes, DATETIME in Asia/Shanghai, no client IP, a computed submit hash, stock without a
 * deduct-mode column) give the same typed changes through the CDC source, in the snapshot and in
 * the binlog; what the mapping does not cover becomes a dead letter with its reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MappedSchemaIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private MallSchema mall;
    private ShopDb contract;

    @BeforeAll
    void servers() throws Exception {
        mall = new MallSchema();
        contract = ShopDb.create("mapping_contract");
    }

    @AfterAll
    void stop() {
        if (mall != null) {
            mall.close();
        }
    }

    private static String sha256(String... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(d.digest(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theMallSchemaGivesTheChangesTheContractSchemaGivesForTheSameEvents() throws Exception {
        String hash1 = sha256("100", "12.34", "No. 1 Road");
        String hash2 = sha256("101", "20.00", "No. 2 Road");
        contract.exec(
                "INSERT INTO orders VALUES (202612010000123, 100, 'CREATED', 12.34, '" + hash1
                        + "', NULL, '2026-11-27 02:00:00', '2026-11-27 02:00:00')",
                "INSERT INTO orders VALUES (202612010000124, 101, 'PAID', 20.00, '" + hash2
                        + "', NULL, '2026-11-26 16:30:00', '2026-11-26 16:31:00')",
                "INSERT INTO order_items VALUES (11, 202612010000123, 501, 2, 6.17)",
                "INSERT INTO payments VALUES ('P-1', 202612010000123, 'WECHAT', 12.34, 'PAYING', NULL,"
                        + " '2026-11-27 02:00:01', '2026-11-27 02:00:02')",
                "INSERT INTO inventory VALUES (501, 'sku-501', 10, 'ORDER', 3, NOW(3))",
                "INSERT INTO inventory VALUES (502, 'sku-502', 5, 'PAYMENT', NULL, NOW(3))");
        mall.execShop(
                "INSERT INTO mall_oms.oms_order (id, member_id, order_sn, create_time, total_amount, pay_amount,"
                        + " status, receiver_name, receiver_detail_address, modify_time) VALUES"
                        + " (1, 100, '202612010000123', '2026-11-27 10:00:00', 12.34, 12.34, 0, 'Li Lei',"
                        + " 'No. 1 Road', '2026-11-27 10:00:00'),"
                        // status 3 (completed) in a TINYINT(1): read as 3 in the snapshot too, not as true
                        + " (2, 101, '202612010000124', '2026-11-27 00:30:00', 20.00, 20.00, 3, 'Han Meimei',"
                        + " 'No. 2 Road', '2026-11-27 00:31:00')",
                "INSERT INTO mall_oms.oms_order_item (id, order_id, order_sn, product_sku_id, product_price,"
                        + " product_quantity) VALUES (11, 1, '202612010000123', 501, 6.17, 2)",
                "INSERT INTO mall_pms.pms_sku_stock (id, product_id, sku_code, price, stock) VALUES"
                        + " (501, 1, 'sku-501', 6.17, 10), (502, 2, 'sku-502', 9.99, 5)");
        mall.execPaycenter("INSERT INTO pay_1.t_pay_order_0 VALUES ('P-1', '202612010000123', 'wxpay', 1234, 1,"
                + " NULL, '2026-11-27 10:00:01', '2026-11-27 10:00:02')");

        try (Collected<ShopChange> fromContract = start(contract.settingsArgs(), "contract-cdc");
                Collected<ShopChange> fromMall = start(mall.settingsArgs(), "mall-cdc")) {
            List<Seen> contractSnapshot =
                    seen(fromContract.await("6 contract snapshot rows", 6, WAIT, MappedSchemaIT::isRead));
            List<Seen> mallSnapshot = seen(fromMall.await("6 mall snapshot rows", 6, WAIT, MappedSchemaIT::isRead));
            assertThat(mallSnapshot).containsExactlyInAnyOrderElementsOf(contractSnapshot);

            contract.exec(
                    "UPDATE payments SET status = 'SUCCESS', channel_txn_id = 'wx-42',"
                            + " updated_at = '2026-11-27 02:00:05' WHERE payment_id = 'P-1'",
                    "UPDATE orders SET status = 'PAID', updated_at = '2026-11-27 02:00:06'"
                            + " WHERE order_id = 202612010000123");
            contract.exec("DELETE FROM order_items WHERE item_id = 11");
            contract.exec("UPDATE inventory SET stock = 7 WHERE sku_id = 501");
            contract.exec("INSERT INTO payments VALUES ('P-2', 202612010000124, 'UNIONPAY', 20.00, 'CLOSED', NULL,"
                    + " '2026-11-26 16:30:30', '2026-11-26 16:30:40')");
            mall.execPaycenter("UPDATE pay_1.t_pay_order_0 SET state = 2, channel_order_no = 'wx-42',"
                    + " updated_at = '2026-11-27 10:00:05' WHERE pay_order_id = 'P-1'");
            mall.execShop("UPDATE mall_oms.oms_order SET status = 1, modify_time = '2026-11-27 10:00:06' WHERE id = 1");
            mall.execShop("DELETE FROM mall_oms.oms_order_item WHERE id = 11");
            mall.execShop("UPDATE mall_pms.pms_sku_stock SET stock = 7 WHERE id = 501");
            // another shard; state 6 (closed) is CLOSED as 4 is
            mall.execPaycenter("INSERT INTO pay_0.t_pay_order_1 VALUES ('P-2', '202612010000124', 'ysfpay', 2000, 6,"
                    + " NULL, '2026-11-27 00:30:30', '2026-11-27 00:30:40')");
            // a state the mapping does not cover: a dead letter, and the stream goes on
            mall.execPaycenter("INSERT INTO pay_0.t_pay_order_0 VALUES ('P-3', '202612010000124', 'wxpay', 2000, 9,"
                    + " NULL, '2026-11-27 00:30:50', '2026-11-27 00:30:50')");

            List<Seen> contractBinlog =
                    seen(fromContract.await("5 contract binlog rows", 5, WAIT, c -> !isRead(c) && !c.isDeadLetter()));
            List<ShopChange> deadLetters = fromMall.await(
                    "the dead letter of P-3", 1, WAIT, c -> c.isDeadLetter() && c.deadLetter.raw.contains("P-3"));
            List<Seen> mallBinlog =
                    seen(fromMall.await("5 mall binlog rows", 5, WAIT, c -> !isRead(c) && !c.isDeadLetter()));
            for (ShopTable t : ShopTable.values()) {
                // per table in commit order (the two servers' binlogs interleave in any order)
                assertThat(ofTable(mallBinlog, t)).as(t.name()).containsExactlyElementsOf(ofTable(contractBinlog, t));
            }
            assertThat(deadLetters.get(0).deadLetter.reason)
                    .contains("unknown status '9' in pay_0.t_pay_order_0.state")
                    .contains("not in the mapping's values");
            assertThat(deadLetters.get(0).deadLetter.source).isEqualTo("cdc:pay_0.t_pay_order_0");
            assertThat(fromContract.items()).noneMatch(ShopChange::isDeadLetter);
        }
    }

    @Test
    void paymentsNamingTheirOrderByNumberGetTheIdOfTheOrderRowWithThatNumber() throws Exception {
        // The same tables, keyed the other way: orders by their numeric id, items by that id, and
        // the payment center naming orders by their number (any text, letters included).
        String byNumber = MallSchema.resource("mall.yaml")
                .replace("      order-id: order_sn         #", "      order-id: id\n      order-no: order_sn  #")
                .replace(
                        "      item-id: id\n      order-id: order_sn\n",
                        "      item-id: id\n      order-id: order_id\n")
                .replace("      order-id: mch_order_no\n", "      order-no: mch_order_no\n");
        assertThat(byNumber).contains("order-no: order_sn").contains("order-no: mch_order_no");
        String[] args = mall.settingsArgs(
                "--mysql.mapping",
                mall.variant("by-number.yaml", byNumber).toString(),
                "--mysql.order-number-wait",
                "3 s");
        try (Collected<ShopChange> out = start(args, "mall-by-number")) {
            // The payment is committed on its own server before its order exists on the other.
            mall.execPaycenter("INSERT INTO pay_1.t_pay_order_1 VALUES ('P-4', 'SO-2026-0003', 'alipay', 990, 1,"
                    + " NULL, '2026-11-27 11:00:00', '2026-11-27 11:00:00')");
            mall.execPaycenter("INSERT INTO pay_0.t_pay_order_1 VALUES ('P-5', 'SO-404', 'alipay', 990, 1,"
                    + " NULL, '2026-11-27 11:00:00', '2026-11-27 11:00:00')");
            mall.execShop(
                    "INSERT INTO mall_oms.oms_order (id, member_id, order_sn, create_time, total_amount, pay_amount,"
                            + " status, receiver_name, receiver_detail_address, modify_time) VALUES"
                            + " (3, 102, 'SO-2026-0003', '2026-11-27 10:59:00', 9.90, 9.90, 0, 'Lin Tao',"
                            + " 'No. 3 Road', '2026-11-27 10:59:00')",
                    "INSERT INTO mall_oms.oms_order_item (id, order_id, order_sn, product_sku_id, product_price,"
                            + " product_quantity) VALUES (31, 3, 'SO-2026-0003', 502, 9.90, 1)");

            ShopChange p4 = out.await(
                            "P-4 with its order's id",
                            1,
                            WAIT,
                            c -> c.payment != null && "P-4".equals(c.payment.row().paymentId))
                    .get(0);
            assertThat(p4.payment.after.orderId).isEqualTo(3);
            assertThat(p4.payment.after.orderNo).isEqualTo("SO-2026-0003");
            ShopChange item = out.await("item 31", 1, WAIT, c -> c.item != null && c.item.row().itemId == 31)
                    .get(0);
            assertThat(item.item.after.orderId).isEqualTo(3);
            ShopChange order = out.await("order 3", 1, WAIT, c -> c.order != null && c.order.row().orderId == 3)
                    .get(0);
            assertThat(order.order.after.orderNo).isEqualTo("SO-2026-0003");

            ShopChange unknown = out.await(
                            "a dead letter for SO-404",
                            1,
                            WAIT,
                            c -> c.isDeadLetter() && c.deadLetter.reason.contains("SO-404"))
                    .get(0);
            assertThat(unknown.deadLetter.reason)
                    .isEqualTo("no order with number 'SO-404' was read within PT3S of a row naming it");
            assertThat(out.items()).noneMatch(c -> c.payment != null && "P-5".equals(c.payment.row().paymentId));
        }
    }

    @Test
    void theDryRunPrintsWhatEachFeatureReadsAndPassesOnTheMallSchema() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = io.paystream.jobs.tools.MappingDryRunAccess.run(
                mall.settingsArgs(), Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains(
                        "duplicate submissions: on (SHA-256 of oms_order.(member_id, pay_amount, receiver_detail_address))")
                .contains("unpaid-order risk per client IP: off (orders maps no client-ip)")
                .contains("purchase limits: on (1 SKU overridden)")
                .contains("deduct mode: on (always ORDER, 1 SKU overridden)")
                .contains("payments: paycenter/~pay_[0-9]+.~t_pay_order_[0-9]+ -> pay_0.t_pay_order_0, "
                        + "pay_0.t_pay_order_1, pay_1.t_pay_order_0, pay_1.t_pay_order_1")
                .contains("ok: every job can start on this mapping");
        assertThat(status).as(out).isZero();
    }

    @Test
    void theCheckNamesTheMappingLineOfEveryColumnThatDoesNotFit() throws Exception {
        String yaml = MallSchema.resource("mall.yaml")
                .replace("user-id: member_id", "user-id: member_no")
                .replace("total-amount: pay_amount", "total-amount: {column: pay_amount, unit: fen}")
                .replace("    database: mall_oms\n    datetime-zone: Asia/Shanghai\n", "    database: mall_oms\n")
                .replace("stock: stock", "stock: price");
        Settings settings = Settings.load(
                mall.settingsArgs(
                        "--mysql.mapping", mall.variant("bad.yaml", yaml).toString()),
                Map.of(),
                PaystreamOptions.declaredIn(PaystreamOptions.class));
        MappingCheck.Report report =
                MappingCheck.check(ShopMapping.load(settings, Map.of()), EnumSet.allOf(ShopTable.class));
        assertThat(report.ok()).isFalse();
        assertThat(String.join("\n", report.problems))
                .contains(
                        "bad.yaml:16 tables.orders.columns.user-id (orders.user-id): column mall_oms.oms_order.member_no"
                                + " does not exist")
                .contains("tables.orders.columns.total-amount (orders.total-amount): mall_oms.oms_order.pay_amount is "
                        + "decimal(10,2): unit fen needs an integer column")
                .contains("tables.orders.columns.created-at (orders.created-at): mall_oms.oms_order.create_time is "
                        + "datetime: DATETIME holds local wall-clock time: say its zone")
                .contains("(inventory.stock): mall_pms.pms_sku_stock.price is decimal(10,2): needs an integer column");
    }

    private Collected<ShopChange> start(String[] args, String name) throws Exception {
        Settings settings = Settings.load(args, Map.of(), PaystreamOptions.declaredIn(PaystreamOptions.class));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, settings);
        env.setParallelism(1);
        ShopCdcSource cdc = ShopCdcSource.fromSettings(
                        settings, name, name.startsWith("mall") ? "5661-5662" : "5663-5664")
                .tables(ShopTable.values())
                .build();
        // What the jobs see: the split streams (with order numbers resolved), back in one envelope.
        ShopChangeStreams shop = ShopChangeStreams.read(env, cdc);
        DataStream<ShopChange> all = shop.orders()
                .map(ShopChange::ofOrder, ShopTypes.SHOP_CHANGE)
                .union(
                        shop.orderItems().map(ShopChange::ofItem, ShopTypes.SHOP_CHANGE),
                        shop.payments().map(ShopChange::ofPayment, ShopTypes.SHOP_CHANGE),
                        shop.inventory().map(ShopChange::ofInventory, ShopTypes.SHOP_CHANGE),
                        shop.deadLetters().map(d -> ShopChange.ofDeadLetter(null, d), ShopTypes.SHOP_CHANGE));
        return Collected.start(env, all, name);
    }

    private static boolean isRead(ShopChange c) {
        RowChange<?> r = rowChange(c);
        return r != null && r.op == ChangeOp.READ;
    }

    private static RowChange<?> rowChange(ShopChange c) {
        return c.order != null ? c.order : c.item != null ? c.item : c.payment != null ? c.payment : c.inventory;
    }

    /** A change without its binlog position and commit time, which differ between two databases. */
    record Seen(ShopTable table, ChangeOp op, Object before, Object after) {}

    private static List<Seen> seen(List<ShopChange> changes) {
        List<Seen> out = new ArrayList<>();
        for (ShopChange c : changes) {
            if (c.inventory != null) {
                // the mall schema keeps no update time on stock: compare the rest
                if (c.inventory.before != null) c.inventory.before.updatedAtMs = 0;
                if (c.inventory.after != null) c.inventory.after.updatedAtMs = 0;
            }
            RowChange<?> r = rowChange(c);
            out.add(new Seen(c.table, r.op, r.before, r.after));
        }
        out.sort(Comparator.comparing(s -> s.table));
        return out;
    }

    private static List<Seen> ofTable(List<Seen> seen, ShopTable t) {
        return seen.stream().filter(s -> s.table == t).toList();
    }
}
