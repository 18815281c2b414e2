package io.paystream.jobs.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobEnvironment;
import io.paystream.jobs.testing.Collected;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.BinlogVersion;
import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The shop CDC source against a real MariaDB binlog: snapshot, then inserts, updates and deletes. */
class ShopCdcSourceIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void readsSnapshotThenBinlogChangesOfEveryShopTableAsTypedEvents() throws Exception {
        ShopDb db = ShopDb.create("cdc_it");
        db.exec(
                "INSERT INTO orders VALUES (1, 100, 'CREATED', 12.34, 'hash-1', '10.0.0.1', '2026-11-27 10:00:00.123', '2026-11-27 10:00:00.123')",
                "INSERT INTO order_items VALUES (11, 1, 501, 2, 6.17)",
                "INSERT INTO payments VALUES ('P-1', 1, 'WECHAT', 12.34, 'PAYING', NULL, '2026-11-27 10:00:01.000', '2026-11-27 10:00:01.500')",
                "INSERT INTO inventory VALUES (501, 'Tea', 10, 'ORDER', 3, '2026-11-27 09:00:00.000')");

        Settings settings = Settings.load(
                db.settingsArgs("--checkpoint.interval", "1 s"),
                Map.of(),
                PaystreamOptions.declaredIn(PaystreamOptions.class));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, settings);
        env.setParallelism(1);
        DataStream<ShopChange> changes = env.fromSource(
                ShopCdcSource.fromSettings(settings, "cdc-it", "5601-5602")
                        .tables(ShopTable.values())
                        .build()
                        .single(),
                WatermarkStrategy.noWatermarks(),
                "cdc",
                ShopTypes.SHOP_CHANGE);

        try (Collected<ShopChange> out = Collected.start(env, changes, "cdc-it")) {
            List<ShopChange> snapshot = out.await("4 snapshot rows", 4, WAIT, c -> opOf(c) == ChangeOp.READ);
            ShopChange order = only(snapshot, ShopTable.ORDERS);
            assertThat(order.order.after.orderId).isEqualTo(1);
            assertThat(order.order.after.userId).isEqualTo(100);
            assertThat(order.order.after.status).isEqualTo(OrderStatus.CREATED);
            assertThat(order.order.after.totalAmountCents).isEqualTo(1234);
            assertThat(order.order.after.submitHash).isEqualTo("hash-1");
            assertThat(order.order.after.createdAtMs)
                    .isEqualTo(Instant.parse("2026-11-27T10:00:00.123Z").toEpochMilli());
            assertThat(order.order.before).isNull();
            assertThat(order.order.version).isEqualTo(BinlogVersion.SNAPSHOT);
            assertThat(only(snapshot, ShopTable.ORDER_ITEMS).item.after.unitPriceCents)
                    .isEqualTo(617);
            assertThat(only(snapshot, ShopTable.PAYMENTS).payment.after.channel).isEqualTo(PaymentChannel.WECHAT);
            assertThat(only(snapshot, ShopTable.PAYMENTS).payment.after.updatedAtMs)
                    .isEqualTo(Instant.parse("2026-11-27T10:00:01.500Z").toEpochMilli());
            assertThat(only(snapshot, ShopTable.INVENTORY).inventory.after.deductMode)
                    .isEqualTo(DeductMode.ORDER);
            assertThat(only(snapshot, ShopTable.INVENTORY).inventory.after.perUserLimit)
                    .isEqualTo(3);

            // Binlog: an insert, updates of two tables in one transaction, a delete, a NULL limit.
            db.exec("INSERT INTO orders VALUES (2, 200, 'CREATED', 99.00, NULL, NULL, NOW(3), NOW(3))");
            db.exec(
                    "UPDATE payments SET status = 'SUCCESS', channel_txn_id = 'wx-42' WHERE payment_id = 'P-1'",
                    "UPDATE orders SET status = 'PAID' WHERE order_id = 1");
            db.exec("DELETE FROM order_items WHERE item_id = 11");
            db.exec("UPDATE inventory SET stock = 7, per_user_limit = NULL WHERE sku_id = 501");

            List<ShopChange> binlog =
                    out.await("5 binlog changes", 5, WAIT, c -> c.snapshotEndedOn == null && opOf(c) != ChangeOp.READ);
            assertThat(binlog)
                    .extracting(ShopChangeSourceAssertions::describe)
                    .containsExactly(
                            "ORDERS CREATE 2",
                            "PAYMENTS UPDATE P-1",
                            "ORDERS UPDATE 1",
                            "ORDER_ITEMS DELETE 11",
                            "INVENTORY UPDATE 501");

            ShopChange paid = binlog.get(1);
            assertThat(paid.payment.before.status).isEqualTo(PaymentStatus.PAYING);
            assertThat(paid.payment.after.status).isEqualTo(PaymentStatus.SUCCESS);
            assertThat(paid.payment.after.channelTxnId).isEqualTo("wx-42");
            assertThat(paid.payment.sourceTsMs).isPositive();
            ShopChange orderPaid = binlog.get(2);
            assertThat(orderPaid.order.before.status).isEqualTo(OrderStatus.CREATED);
            assertThat(orderPaid.order.after.status).isEqualTo(OrderStatus.PAID);
            ShopChange deleted = binlog.get(3);
            assertThat(deleted.item.after).isNull();
            assertThat(deleted.item.before.skuId).isEqualTo(501);
            ShopChange stock = binlog.get(4);
            assertThat(stock.inventory.after.stock).isEqualTo(7);
            assertThat(stock.inventory.after.perUserLimit).isNull();

            // Binlog versions rise in commit order, also between two rows of one transaction.
            long previous = BinlogVersion.SNAPSHOT;
            for (ShopChange c : binlog) {
                assertThat(versionOf(c)).as(c.toString()).isGreaterThan(previous);
                previous = versionOf(c);
            }
            assertThat(out.items()).noneMatch(ShopChange::isDeadLetter);

            // The end of the snapshot is announced once, after every snapshot row and before the
            // first binlog change (the order-search join writes its held documents then).
            List<ShopChange> all = out.items();
            List<Integer> ends = new java.util.ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).snapshotEndedOn != null) {
                    ends.add(i);
                }
            }
            assertThat(ends).as("announcements of the snapshot's end").hasSize(1);
            assertThat(all.get(ends.get(0)).snapshotEndedOn).isEqualTo("shop");
            assertThat(all.subList(0, ends.get(0))).allMatch(c -> opOf(c) == ChangeOp.READ);
            assertThat(all.subList(ends.get(0) + 1, all.size())).noneMatch(c -> opOf(c) == ChangeOp.READ);
        }
    }

    private static ShopChange only(List<ShopChange> changes, ShopTable table) {
        return changes.stream()
                .filter(c -> c.table == table)
                .reduce((a, b) -> {
                    throw new AssertionError("more than one change of " + table);
                })
                .orElseThrow(() -> new AssertionError("no change of " + table));
    }

    static ChangeOp opOf(ShopChange c) {
        return ShopChangeSourceAssertions.op(c);
    }

    static long versionOf(ShopChange c) {
        return ShopChangeSourceAssertions.version(c);
    }
}
