package io.paystream.jobs.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.jobs.cdc.ShopChangeDeserializer;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.servers.ScratchDirectories;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * What the table mapping costs per row, not a test (no *Test/*IT name, never in {@code mvn verify}):
 * binlog UPDATE rows of orders (before and after image) through the CDC deserializer, one thread,
 * as Debezium hands them over, for the contract schema and for the mall schema (value map over
 * TINYINT codes, digit-text order numbers, DATETIME in Asia/Shanghai, a computed SHA-256 submit
 * hash); beside, in the same run, the baseline of paystream before the mapping (the contract's
 * columns read by name with hard-coded conversions, as git b1188c5 did) and a reference that reads
 * and hashes every field of the Debezium structs without converting anything. Run:
 * {@code mvn -B -o test -pl jobs -am -Dtest=MappingBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.rows=2000000}
 */
class MappingBenchmark {
    private static final int ROWS = Integer.getInteger("bench.rows", 2_000_000);
    private static final int DISTINCT = 4096;

    @Test
    void rowsPerSecondThroughTheDeserializer() throws Exception {
        Settings settings = Settings.load(
                new String[] {"--mysql.password", "p"}, Map.of(), PaystreamOptions.declaredIn(PaystreamOptions.class));
        Path password = ScratchDirectories.create("mapping-bench").resolve("paycenter.password");
        Files.writeString(password, "p");
        String yaml = MallSchema.resource("mall.yaml")
                .replace("${PAYCENTER_HOST}", "localhost")
                .replace("${PAYCENTER_PORT}", "3306")
                .replace("${PAYCENTER_PASSWORD_FILE}", password.toString());
        ShopMapping mall = ShopMapping.parse("mall.yaml", yaml, settings, Map.of());
        ShopMapping contract = ShopMapping.contract(settings);

        SourceRecord[] contractRows = records(contractSchema(), "shop", "orders", MappingBenchmark::contractRow);
        SourceRecord[] mallRows = records(mallSchema(), "mall_oms", "oms_order", MappingBenchmark::mallRow);
        ShopChangeDeserializer contractReader =
                new ShopChangeDeserializer(List.of(contract.table(ShopTable.ORDERS)), "bench");
        ShopChangeDeserializer mallReader = new ShopChangeDeserializer(List.of(mall.table(ShopTable.ORDERS)), "bench");

        // The three readers agree on what they read (the mall rows carry the same order as text).
        OrderRow viaContract = one(contractReader, contractRows[7]).order.after;
        OrderRow viaMall = one(mallReader, mallRows[7]).order.after;
        assertThat(legacyOrder((Struct) ((Struct) contractRows[7].value()).get("after")))
                .isEqualTo(viaContract);
        assertThat(viaMall.orderId).isEqualTo(viaContract.orderId);
        assertThat(viaMall.status).isEqualTo(viaContract.status);
        assertThat(viaMall.totalAmountCents).isEqualTo(viaContract.totalAmountCents);
        assertThat(viaMall.createdAtMs).isEqualTo(viaContract.createdAtMs);

        Counting sink = new Counting();
        List<String> lines = new ArrayList<>();
        lines.add(measure("reference: every field read from the structs and hashed, no conversion", () -> {
            long h = 0;
            for (int i = 0; i < ROWS; i++) {
                Struct v = (Struct) contractRows[i & (DISTINCT - 1)].value();
                h += readOnly(v.getStruct("before"))
                        + readOnly(v.getStruct("after"))
                        + v.getStruct("source").hashCode();
            }
            return h;
        }));
        lines.add(measure("before the mapping: contract columns by name (b1188c5)", () -> {
            long h = 0;
            for (int i = 0; i < ROWS; i++) {
                Struct v = (Struct) contractRows[i & (DISTINCT - 1)].value();
                h += legacyOrder(v.getStruct("before")).orderId + legacyOrder(v.getStruct("after")).userId;
            }
            return h;
        }));
        lines.add(measure("mapping, contract schema", () -> {
            for (int i = 0; i < ROWS; i++) {
                contractReader.deserialize(contractRows[i & (DISTINCT - 1)], sink);
            }
            return sink.n;
        }));
        lines.add(measure("mapping, mall schema (codes, text keys, DATETIME zone, SHA-256)", () -> {
            for (int i = 0; i < ROWS; i++) {
                mallReader.deserialize(mallRows[i & (DISTINCT - 1)], sink);
            }
            return sink.n;
        }));
        assertThat(sink.deadLetters).isZero();
        System.out.println("\nMappingBenchmark: orders UPDATE rows (before + after image), one thread, " + ROWS
                + " rows a run, median of 3 runs after a warm-up\n" + String.join("\n", lines));
    }

    private static String measure(String what, Supplier<Long> run) {
        run.get(); // warm-up
        double[] rates = new double[3];
        long blackhole = 0;
        for (int r = 0; r < rates.length; r++) {
            long t0 = System.nanoTime();
            blackhole += run.get();
            rates[r] = ROWS / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        return String.format(
                "  %-70s %,12.0f rows/s  (%,.0f-%,.0f)%s",
                what, rates[1], rates[0], rates[2], blackhole == 42 ? " " : "");
    }

    private static final class Counting implements Collector<ShopChange> {
        long n;
        long deadLetters;

        @Override
        public void collect(ShopChange c) {
            n++;
            if (c.isDeadLetter()) {
                deadLetters++;
            }
        }

        @Override
        public void close() {}
    }

    private static ShopChange one(ShopChangeDeserializer d, SourceRecord r) {
        List<ShopChange> out = new ArrayList<>();
        d.deserialize(r, new Collector<>() {
            @Override
            public void collect(ShopChange c) {
                out.add(c);
            }

            @Override
            public void close() {}
        });
        assertThat(out)
                .singleElement()
                .satisfies(c -> assertThat(c.isDeadLetter()).as(c.toString()).isFalse());
        return out.get(0);
    }

    // --- the rows -----------------------------------------------------------------------------------

    private static final long T0 = Instant.parse("2026-11-27T02:00:00Z").toEpochMilli();
    private static final String[] CONTRACT_STATUS = {"CREATED", "PAID", "PAID", "PAID", "CLOSED", "CANCELLED"};

    private static Schema contractSchema() {
        Schema zoned =
                SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build();
        return SchemaBuilder.struct()
                .name("shop.orders.Value")
                .optional()
                .field("order_id", Schema.INT64_SCHEMA)
                .field("user_id", Schema.INT64_SCHEMA)
                .field("status", Schema.STRING_SCHEMA)
                .field("total_amount", Decimal.schema(2))
                .field("submit_hash", Schema.OPTIONAL_STRING_SCHEMA)
                .field("client_ip", Schema.OPTIONAL_STRING_SCHEMA)
                .field("created_at", zoned)
                .field("updated_at", zoned)
                .build();
    }

    private static Struct contractRow(Schema s, int i) {
        return new Struct(s)
                .put("order_id", 202612010000000L + i)
                .put("user_id", 100L + i % 977)
                .put("status", CONTRACT_STATUS[i % 6])
                .put("total_amount", BigDecimal.valueOf(1234 + i, 2))
                .put("submit_hash", "h" + i)
                .put("client_ip", "203.0.113." + i % 250)
                .put("created_at", Instant.ofEpochMilli(T0 + i * 1000L).toString())
                .put("updated_at", Instant.ofEpochMilli(T0 + i * 1000L + 500).toString());
    }

    private static Schema mallSchema() {
        Schema wall = SchemaBuilder.int64()
                .name("io.debezium.time.Timestamp")
                .optional()
                .build();
        return SchemaBuilder.struct()
                .name("mall_oms.oms_order.Value")
                .optional()
                .field("id", Schema.INT64_SCHEMA)
                .field("member_id", Schema.INT64_SCHEMA)
                .field("order_sn", Schema.OPTIONAL_STRING_SCHEMA)
                .field("create_time", wall)
                .field("total_amount", Decimal.builder(2).optional().build())
                .field("pay_amount", Decimal.builder(2).optional().build())
                .field("status", Schema.OPTIONAL_INT16_SCHEMA)
                .field("receiver_name", Schema.STRING_SCHEMA)
                .field("receiver_detail_address", Schema.OPTIONAL_STRING_SCHEMA)
                .field("modify_time", wall)
                .build();
    }

    private static Struct mallRow(Schema s, int i) {
        long shanghai = 8 * 3600_000L; // the wall clock in Shanghai, as Debezium hands DATETIME over
        return new Struct(s)
                .put("id", (long) i)
                .put("member_id", 100L + i % 977)
                .put("order_sn", Long.toString(202612010000000L + i))
                .put("create_time", T0 + i * 1000L + shanghai)
                .put("total_amount", BigDecimal.valueOf(1234 + i, 2))
                .put("pay_amount", BigDecimal.valueOf(1234 + i, 2))
                .put("status", (short) (i % 6))
                .put("receiver_name", "Li Lei")
                .put("receiver_detail_address", "No. " + i + " Road")
                .put("modify_time", T0 + i * 1000L + 500 + shanghai);
    }

    private interface RowMaker {
        Struct make(Schema s, int i);
    }

    private static SourceRecord[] records(Schema row, String db, String table, RowMaker rows) {
        Schema source = SchemaBuilder.struct()
                .name("io.debezium.connector.mysql.Source")
                .field("db", Schema.STRING_SCHEMA)
                .field("table", Schema.STRING_SCHEMA)
                .field("file", Schema.STRING_SCHEMA)
                .field("pos", Schema.INT64_SCHEMA)
                .field("row", Schema.INT32_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();
        Schema envelope = SchemaBuilder.struct()
                .name(db + "." + table + ".Envelope")
                .field("before", row)
                .field("after", row)
                .field("source", source)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        SourceRecord[] out = new SourceRecord[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            Struct src = new Struct(source)
                    .put("db", db)
                    .put("table", table)
                    .put("file", "mysql-bin.000042")
                    .put("pos", 4000L + i * 300L)
                    .put("row", 0)
                    .put("ts_ms", T0 + i);
            Struct value = new Struct(envelope)
                    .put("before", rows.make(row, i))
                    .put("after", rows.make(row, i + 1 == DISTINCT ? i : i + 1))
                    .put("source", src)
                    .put("op", "u")
                    .put("ts_ms", T0 + i);
            out[i] = new SourceRecord(null, null, "bench", null, null, envelope, value);
        }
        return out;
    }

    private static long readOnly(Struct s) {
        long h = 0;
        for (Field f : s.schema().fields()) {
            Object v = s.get(f);
            h += v == null ? 0 : v.hashCode();
        }
        return h;
    }

    // --- the baseline: paystream before the mapping (git b1188c5), for the contract's orders --------

    private static OrderRow legacyOrder(Struct s) {
        OrderRow r = new OrderRow();
        r.orderId = ((Number) s.get("order_id")).longValue();
        r.userId = ((Number) s.get("user_id")).longValue();
        r.status = OrderStatus.valueOf(s.getString("status"));
        r.totalAmountCents = ((BigDecimal) s.get("total_amount"))
                .movePointRight(2)
                .setScale(0, RoundingMode.UNNECESSARY)
                .longValueExact();
        r.submitHash = s.getString("submit_hash");
        r.clientIp = s.getString("client_ip");
        r.createdAtMs = Instant.parse(s.getString("created_at")).toEpochMilli();
        r.updatedAtMs = Instant.parse(s.getString("updated_at")).toEpochMilli();
        return r;
    }
}
