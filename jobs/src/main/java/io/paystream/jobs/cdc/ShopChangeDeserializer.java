package io.paystream.jobs.cdc;

import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.BinlogVersion;
import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;

/**
 * Turns Debezium records of the shop tables straight into typed {@link ShopChange}s: no JSON string
 * in between. A row that cannot be converted (an unknown status, a NULL key, a fractional cent)
 * becomes a dead letter carrying the reason and the row as read, and the stream goes on.
 */
public final class ShopChangeDeserializer implements DebeziumDeserializationSchema<ShopChange> {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String jobName;

    public ShopChangeDeserializer(String database, String jobName) {
        this.database = database;
        this.jobName = jobName;
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ShopChange> out) {
        if (!(record.value() instanceof Struct)) {
            return; // tombstones carry nothing
        }
        Struct value = (Struct) record.value();
        if (value.schema().field("op") == null) {
            return; // heartbeats and schema-change records are not row changes
        }
        Struct source = value.getStruct("source");
        String tableName = source.getString("table");
        ShopTable table = ShopTable.ofTableName(tableName);
        try {
            if (table == null) {
                throw new IllegalArgumentException(
                        "table " + database + "." + tableName + " is not a shop table paystream reads");
            }
            ChangeOp op = ChangeOp.fromDebezium(value.getString("op"));
            long version = op == ChangeOp.READ ? BinlogVersion.SNAPSHOT : version(source);
            long sourceTs = op == ChangeOp.READ ? 0L : longOrZero(source.getInt64("ts_ms"));
            Struct before = value.getStruct("before");
            Struct after = value.getStruct("after");
            switch (table) {
                case ORDERS:
                    out.collect(ShopChange.ofOrder(
                            change(op, before, after, sourceTs, version, ShopChangeDeserializer::order)));
                    break;
                case ORDER_ITEMS:
                    out.collect(ShopChange.ofItem(
                            change(op, before, after, sourceTs, version, ShopChangeDeserializer::item)));
                    break;
                case PAYMENTS:
                    out.collect(ShopChange.ofPayment(
                            change(op, before, after, sourceTs, version, ShopChangeDeserializer::payment)));
                    break;
                case INVENTORY:
                    out.collect(ShopChange.ofInventory(
                            change(op, before, after, sourceTs, version, ShopChangeDeserializer::inventory)));
                    break;
                default:
                    throw new IllegalStateException("unhandled table " + table);
            }
        } catch (RuntimeException e) {
            DeadLetter dl = new DeadLetter(
                    "cdc:" + database + "." + tableName,
                    e.getClass().getSimpleName() + ": " + e.getMessage(),
                    String.valueOf(value),
                    System.currentTimeMillis());
            dl.job = jobName;
            out.collect(ShopChange.ofDeadLetter(table, dl));
        }
    }

    @Override
    public TypeInformation<ShopChange> getProducedType() {
        return ShopTypes.SHOP_CHANGE;
    }

    private static <R> RowChange<R> change(
            ChangeOp op, Struct before, Struct after, long ts, long version, Function<Struct, R> row) {
        R b = before == null ? null : row.apply(before);
        R a = after == null ? null : row.apply(after);
        if (a == null && op != ChangeOp.DELETE) {
            throw new IllegalArgumentException(op + " without an after image");
        }
        if (b == null && (op == ChangeOp.DELETE || op == ChangeOp.UPDATE)) {
            throw new IllegalArgumentException(op + " without a before image: is binlog_row_image FULL?");
        }
        return new RowChange<>(op, b, a, ts, version);
    }

    static long version(Struct source) {
        Long pos = source.getInt64("pos");
        Object row = source.get("row");
        return BinlogVersion.of(
                source.getString("file"), pos == null ? 0 : pos, row == null ? 0 : ((Number) row).longValue());
    }

    static OrderRow order(Struct s) {
        OrderRow r = new OrderRow();
        r.orderId = requiredLong(s, "order_id");
        r.userId = requiredLong(s, "user_id");
        r.status = enumValue(OrderStatus.class, s, "status");
        r.totalAmountCents = cents(s, "total_amount");
        r.submitHash = s.getString("submit_hash");
        r.clientIp = s.getString("client_ip");
        r.createdAtMs = epochMillis(s, "created_at");
        r.updatedAtMs = epochMillis(s, "updated_at");
        return r;
    }

    static OrderItemRow item(Struct s) {
        OrderItemRow r = new OrderItemRow();
        r.itemId = requiredLong(s, "item_id");
        r.orderId = requiredLong(s, "order_id");
        r.skuId = requiredLong(s, "sku_id");
        r.quantity = requiredInt(s, "quantity");
        r.unitPriceCents = cents(s, "unit_price");
        return r;
    }

    static PaymentRow payment(Struct s) {
        PaymentRow r = new PaymentRow();
        r.paymentId = s.getString("payment_id");
        if (r.paymentId == null || r.paymentId.isEmpty()) {
            throw new IllegalArgumentException("payment_id is empty");
        }
        r.orderId = requiredLong(s, "order_id");
        r.channel = enumValue(PaymentChannel.class, s, "channel");
        r.amountCents = cents(s, "amount");
        r.status = enumValue(PaymentStatus.class, s, "status");
        r.channelTxnId = s.getString("channel_txn_id");
        r.createdAtMs = epochMillis(s, "created_at");
        r.updatedAtMs = epochMillis(s, "updated_at");
        return r;
    }

    static InventoryRow inventory(Struct s) {
        InventoryRow r = new InventoryRow();
        r.skuId = requiredLong(s, "sku_id");
        r.name = s.getString("name");
        r.stock = requiredInt(s, "stock");
        r.deductMode = enumValue(DeductMode.class, s, "deduct_mode");
        Object limit = s.get("per_user_limit");
        r.perUserLimit = limit == null ? null : ((Number) limit).intValue();
        r.updatedAtMs = epochMillis(s, "updated_at");
        return r;
    }

    private static long requiredLong(Struct s, String column) {
        Object v = s.get(column);
        if (v == null) {
            throw new IllegalArgumentException(column + " is NULL");
        }
        return ((Number) v).longValue();
    }

    private static int requiredInt(Struct s, String column) {
        Object v = s.get(column);
        if (v == null) {
            throw new IllegalArgumentException(column + " is NULL");
        }
        return ((Number) v).intValue();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Struct s, String column) {
        String v = s.getString(column);
        if (v == null) {
            throw new IllegalArgumentException(column + " is NULL");
        }
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + column + " '" + v + "'");
        }
    }

    /** DECIMAL(12,2) to minor units, exactly: a value with fractional cents is refused, not rounded. */
    static long cents(Struct s, String column) {
        Object v = s.get(column);
        if (v == null) {
            throw new IllegalArgumentException(column + " is NULL");
        }
        BigDecimal d = v instanceof BigDecimal ? (BigDecimal) v : new BigDecimal(v.toString());
        try {
            return d.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(column + " " + d.toPlainString() + " is not a whole number of cents");
        }
    }

    /** TIMESTAMP columns arrive as ISO-8601 strings (ZonedTimestamp), DATETIME as epoch ms or µs. */
    static long epochMillis(Struct s, String column) {
        Object v = s.get(column);
        if (v == null) {
            return 0L;
        }
        if (v instanceof String) {
            return Instant.parse((String) v).toEpochMilli();
        }
        if (v instanceof java.util.Date) {
            return ((java.util.Date) v).getTime();
        }
        if (v instanceof Long) {
            Field f = s.schema().field(column);
            String name = f.schema().name();
            if ("io.debezium.time.MicroTimestamp".equals(name)) {
                return (Long) v / 1000;
            }
            if ("io.debezium.time.NanoTimestamp".equals(name)) {
                return (Long) v / 1_000_000;
            }
            return (Long) v;
        }
        throw new IllegalArgumentException(
                column + " has an unexpected time value " + v.getClass().getSimpleName());
    }

    private static long longOrZero(Long v) {
        return v == null ? 0L : v;
    }
}
