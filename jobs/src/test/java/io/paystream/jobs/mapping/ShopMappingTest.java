package io.paystream.jobs.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class ShopMappingTest {
    private static final Settings SETTINGS = Settings.load(
            new String[] {"--mysql.password", "p"}, Map.of(), PaystreamOptions.declaredIn(PaystreamOptions.class));

    private static ShopMapping parse(String yaml) {
        return ShopMapping.parse("shop.yaml", yaml, SETTINGS, Map.of());
    }

    private static final String MINIMAL = String.join(
            "\n",
            "tables:",
            "  orders:",
            "    columns: {order-id: id, user-id: uid, status: st, total-amount: amt, created-at: ct}",
            "  order_items:",
            "    columns: {item-id: id, order-id: oid, sku-id: sku, quantity: q, unit-price: p}",
            "  payments:",
            "    columns: {payment-id: id, order-id: oid, channel: ch, amount: amt, status: st,"
                    + " created-at: ct, updated-at: ut}",
            "  inventory:",
            "    columns: {sku-id: id, stock: s, deduct-mode: {default: ORDER}}",
            "");

    @Test
    void theContractMappingReadsTheContractColumnsOnTheSettingsServer() {
        ShopMapping m = ShopMapping.contract(SETTINGS);
        assertThat(m.table(ShopTable.ORDERS).field(ShopField.ORDER_TOTAL_AMOUNT).column)
                .isEqualTo("total_amount");
        assertThat(m.table(ShopTable.ORDER_ITEMS).field(ShopField.ITEM_ORDER_ID).column)
                .isEqualTo("order_id");
        assertThat(m.table(ShopTable.PAYMENTS).field(ShopField.PAYMENT_CHANNEL_TXN_ID).column)
                .isEqualTo("channel_txn_id");
        assertThat(m.table(ShopTable.INVENTORY).tableRegex()).isEqualTo("shop.inventory");
        assertThat(m.servers())
                .singleElement()
                .satisfies(s -> assertThat(s.name).isEqualTo("shop"));
        assertThat(m.features()).allMatch(l -> l.contains(": on ("));
    }

    @Test
    void optionalFeaturesWithoutTheirColumnsAreOffAndSaySo() {
        ShopMapping m = parse(MINIMAL);
        assertThat(m.features())
                .contains("duplicate submissions: off (orders maps no submit-hash)")
                .contains("unpaid-order risk per client IP: off (orders maps no client-ip)")
                .contains("purchase limits: off (inventory maps no per-user-limit)")
                .contains("deduct mode: on (always ORDER)")
                .contains("refund watch: off (no mapping for logical table 'refunds')");
    }

    @Test
    void extraOrderColumnsReadIntoTheRowWithTheirTypes() {
        ShopMapping m = parse(MINIMAL.replace(
                "  order_items:",
                "    search-fields:\n"
                        + "      receiverName: {column: rcv, type: text}\n"
                        + "      shippedAt: {column: shipped, type: date, zone: Asia/Shanghai}\n"
                        + "      city: city\n"
                        + "  order_items:"));
        assertThat(m.searchFields())
                .extracting(f -> f.name + ":" + f.column + ":" + f.type)
                .containsExactly("receiverName:rcv:text", "shippedAt:shipped:date", "city:city:keyword");
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("uid", Schema.INT64_SCHEMA)
                .field("st", Schema.STRING_SCHEMA)
                .field("amt", org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal.schema(2))
                .field("ct", Schema.STRING_SCHEMA)
                .field("rcv", Schema.OPTIONAL_STRING_SCHEMA)
                .field(
                        "shipped",
                        SchemaBuilder.int64()
                                .name("io.debezium.time.Timestamp")
                                .optional()
                                .build())
                .field("city", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct row = new Struct(schema)
                .put("id", 7L)
                .put("uid", 9L)
                .put("st", "PAID")
                .put("amt", new BigDecimal("1.00"))
                .put("ct", "2026-11-27T02:00:00Z")
                .put("rcv", "Han Meimei")
                .put("shipped", Instant.parse("2026-11-28T08:00:00Z").toEpochMilli());
        var order = new RowReader(m.table(ShopTable.ORDERS), "shop.orders", schema).order(row);
        assertThat(order.extra)
                .extracting(c -> c.name + "=" + c.value)
                .containsExactly(
                        "receiverName=Han Meimei",
                        "shippedAt=" + Instant.parse("2026-11-28T00:00:00Z").toEpochMilli(),
                        "city=null");
        assertThatThrownBy(() -> parse(MINIMAL.replace(
                        "  order_items:", "    search-fields: {a: {column: x, type: geo_point}}\n  order_items:")))
                .hasMessageContaining("tables.orders.search-fields.a.type: 'geo_point' is not one of the types");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsLine() {
        String yaml = String.join(
                "\n",
                "servers:",
                "  shop: {hostname: db1, password: hunter2}",
                "tables:",
                "  orders:",
                "    columns:",
                "      order-id: id",
                "      user-id: uid",
                "      status: {column: st, values: {0: CREATED, 1: PAYED}}",
                "      total-amount: {column: amt, unit: cents}",
                "      created-at: {column: ct, zone: Mars/Olympus}",
                "      colour: c",
                "  order_items:",
                "    server: billing",
                "    columns: {item-id: id, order-id: oid, sku-id: sku, quantity: q, unit-price: p}",
                "  returns: {}",
                "  inventory:",
                "    table-pattern: 'stock_[0-9+'",
                "    columns: {sku-id: id, stock: s, deduct-mode: {column: dm, values: {1: ORDER}, per-sku: {x: PAYMENT}}}",
                "");
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(InvalidMappingException.class)
                .satisfies(e -> assertThat(((InvalidMappingException) e).problems())
                        .contains(
                                "shop.yaml:2 servers.shop.password: passwords never go in the mapping file: name an"
                                        + " environment variable (password-env) or a file (password-file)",
                                "shop.yaml:8 tables.orders.columns.status.values: '1' maps onto 'PAYED', which is not a"
                                        + " status paystream knows [CREATED, PAID, CANCELLED, CLOSED]",
                                "shop.yaml:9 tables.orders.columns.total-amount.unit: unit 'cents' does not fit"
                                        + " total-amount (money: yuan or fen)",
                                "shop.yaml:10 tables.orders.columns.created-at.zone: 'Mars/Olympus' is not a time zone"
                                        + " (e.g. Asia/Shanghai, UTC, +08:00)",
                                "shop.yaml:11 tables.orders.columns.colour: 'colour' is not a field of orders; fields"
                                        + " are [order-id, order-no, user-id, status, total-amount, submit-hash, client-ip,"
                                        + " created-at, updated-at]",
                                "shop.yaml:13 tables.order_items.server: no server 'billing': servers are [shop]",
                                "shop.yaml:15 tables.returns: 'returns' is not a logical table; they are orders,"
                                        + " order_items, payments, inventory, refunds",
                                "shop.yaml:4 tables: no mapping for logical table 'payments'",
                                "shop.yaml:18 tables.inventory.columns.deduct-mode.per-sku.x: 'x' is not a SKU id")
                        .anyMatch(p -> p.startsWith("shop.yaml:17 tables.inventory.table-pattern: 'stock_[0-9+' is not"
                                + " a regular expression")));
    }

    private static Schema schema() {
        return SchemaBuilder.struct()
                .field("sn", Schema.STRING_SCHEMA)
                .field("code", Schema.OPTIONAL_INT16_SCHEMA)
                .field("fen", Schema.INT64_SCHEMA)
                .field("yuan", org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal.schema(2))
                .field(
                        "local",
                        SchemaBuilder.int64().name("io.debezium.time.Timestamp").build())
                .field("secs", Schema.INT32_SCHEMA)
                .build();
    }

    private static FieldSource field(ShopField f, String yaml) {
        MappingNode node = MappingNode.parse("t.yaml", yaml);
        List<String> problems = new java.util.ArrayList<>();
        FieldSource s = FieldSource.parse(f, node, null, problems);
        assertThat(problems).isEmpty();
        return s;
    }

    @Test
    void fieldsConvertTheShopsValuesExactly() {
        Schema schema = schema();
        Struct row = new Struct(schema)
                .put("sn", "202612010000123")
                .put("code", (short) 2)
                .put("fen", 1234L)
                .put("yuan", new BigDecimal("12.34"))
                .put("local", Instant.parse("2026-11-27T10:00:00Z").toEpochMilli())
                .put("secs", 1_700_000_000);
        assertThat(new BoundField(field(ShopField.ORDER_ID, "sn"), "t", schema).key(row))
                .isEqualTo(202612010000123L);
        assertThat(new BoundField(
                                field(ShopField.ORDER_STATUS, "{column: code, values: {0: CREATED, 2: PAID}}"),
                                "t",
                                schema)
                        .<OrderStatus>enumValue(row))
                .isEqualTo(OrderStatus.PAID);
        assertThat(new BoundField(field(ShopField.PAYMENT_AMOUNT, "{column: fen, unit: fen}"), "t", schema).money(row))
                .isEqualTo(1234L);
        assertThat(new BoundField(field(ShopField.PAYMENT_AMOUNT, "yuan"), "t", schema).money(row))
                .isEqualTo(1234L);
        // DATETIME 10:00 in Shanghai is 02:00 UTC
        assertThat(new BoundField(
                                field(ShopField.PAYMENT_UPDATED_AT, "{column: local, zone: Asia/Shanghai}"),
                                "t",
                                schema)
                        .time(row))
                .isEqualTo(Instant.parse("2026-11-27T02:00:00Z").toEpochMilli());
        assertThat(new BoundField(
                                field(ShopField.PAYMENT_UPDATED_AT, "{column: secs, unit: epoch-seconds}"), "t", schema)
                        .time(row))
                .isEqualTo(1_700_000_000_000L);
    }

    @Test
    void timestampsAreReadExactlyAsJavaTimeReadsThem() {
        for (String t : List.of(
                "2026-11-27T02:00:00Z",
                "2026-11-27T02:00:00.5Z",
                "2026-11-27T02:00:00.123Z",
                "2026-11-27T02:00:00.123456Z",
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z",
                "2000-02-29T12:34:56.7Z",
                "2100-03-01T00:00:00Z",
                "1600-01-01T00:00:00Z",
                "+12026-01-01T00:00:00Z")) {
            assertThat(BoundField.utcMillis(t)).as(t).isEqualTo(Instant.parse(t).toEpochMilli());
        }
        for (long day = -800_000; day < 800_000; day += 997) {
            java.time.LocalDate d = java.time.LocalDate.ofEpochDay(day);
            assertThat(BoundField.daysFromCivil(d.getYear(), d.getMonthValue(), d.getDayOfMonth()))
                    .as(d.toString())
                    .isEqualTo(day);
        }
        assertThatThrownBy(() -> BoundField.utcMillis("2026-11-27T02:0x:00Z")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> BoundField.utcMillis("2026-13-27T02:00:00Z")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aValueTheMappingDoesNotCoverIsRefusedWithItsReason() {
        Schema schema = schema();
        Struct row = new Struct(schema)
                .put("sn", "SO-42")
                .put("code", (short) 9)
                .put("fen", 1L)
                .put("yuan", new BigDecimal("0.001"))
                .put("local", 0L)
                .put("secs", 0);
        assertThatThrownBy(() -> new BoundField(field(ShopField.ORDER_ID, "sn"), "t", schema).key(row))
                .hasMessage("t.sn 'SO-42' is not an id of 1 to 18 decimal digits");
        assertThatThrownBy(() -> new BoundField(
                                field(ShopField.PAYMENT_STATUS, "{column: code, values: {1: PAYING}}"), "t", schema)
                        .<PaymentStatus>enumValue(row))
                .hasMessage("unknown status '9' in t.code: not in the mapping's values");
        assertThatThrownBy(() -> new BoundField(field(ShopField.PAYMENT_AMOUNT, "yuan"), "t", schema).money(row))
                .hasMessage("t.yuan 0.001 is not a whole number of fen");
        assertThatThrownBy(() -> new BoundField(field(ShopField.PAYMENT_AMOUNT, "missing"), "t", schema))
                .hasMessage("column t.missing is not in the table's binlog rows");
        // no value at all for a status with no default
        Struct nulls = new Struct(schema)
                .put("sn", "1")
                .put("fen", 1L)
                .put("yuan", BigDecimal.ONE)
                .put("local", 0L)
                .put("secs", 0);
        assertThatThrownBy(() -> new BoundField(
                                field(ShopField.PAYMENT_STATUS, "{column: code, values: {1: PAYING}}"), "t", schema)
                        .<PaymentStatus>enumValue(nulls))
                .hasMessage("t.code is NULL");
    }
}
