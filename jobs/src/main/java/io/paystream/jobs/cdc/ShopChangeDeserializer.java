package io.paystream.jobs.cdc;

import io.paystream.jobs.mapping.RowReader;
import io.paystream.jobs.mapping.TableMapping;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.BinlogVersion;
import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.dlq.DeadLetter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;

/**
 * Turns Debezium records of one server's shop tables straight into typed {@link ShopChange}s, as
 * the table mapping says: no JSON string in between, and no lookup by column name per row (each
 * physical table's {@link RowReader} is compiled once per schema). A row that cannot be converted
 * (a status the mapping does not cover, a NULL key, a fraction of a fen) becomes a dead letter
 * carrying the reason and the row as read, and the stream goes on.
 */
public final class ShopChangeDeserializer implements DebeziumDeserializationSchema<ShopChange> {
    private static final long serialVersionUID = 2L;

    private final List<TableMapping> tables;
    private final String jobName;
    /** Readers by the envelope schema of each physical table: stable until the table's DDL changes. */
    private transient Map<Schema, Binding> bindings;

    public ShopChangeDeserializer(List<TableMapping> tables, String jobName) {
        this.tables = List.copyOf(tables);
        this.jobName = jobName;
    }

    /** A physical table known to this source: which logical table it is, and its reader (null: not ours). */
    private static final class Binding {
        final ShopTable table;
        final RowReader reader;
        /** The reader's method for this table, bound once (not a new lambda per row). */
        final Function<Struct, ?> read;

        final String problem;

        Binding(ShopTable table, RowReader reader, String problem) {
            this.table = table;
            this.reader = reader;
            this.problem = problem;
            this.read = reader == null
                    ? null
                    : switch (table) {
                        case ORDERS -> reader::order;
                        case ORDER_ITEMS -> reader::item;
                        case PAYMENTS -> reader::payment;
                        case INVENTORY -> reader::inventory;
                        case REFUNDS -> reader::refund;
                    };
        }
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
        Binding binding = binding(value);
        try {
            if (binding.reader == null) {
                throw new IllegalArgumentException(binding.problem);
            }
            ChangeOp op = ChangeOp.fromDebezium(value.getString("op"));
            Struct source = value.getStruct("source");
            long version = op == ChangeOp.READ ? BinlogVersion.SNAPSHOT : version(source);
            long sourceTs = op == ChangeOp.READ ? 0L : longOrZero(source.getInt64("ts_ms"));
            Struct before = value.getStruct("before");
            Struct after = value.getStruct("after");
            RowChange<?> change = change(op, before, after, sourceTs, version, binding.read);
            out.collect(envelope(binding.table, change));
        } catch (RuntimeException e) {
            Struct source = value.getStruct("source");
            DeadLetter dl = new DeadLetter(
                    "cdc:" + source.getString("db") + "." + source.getString("table"),
                    e.getClass().getSimpleName() + ": " + e.getMessage(),
                    String.valueOf(value),
                    System.currentTimeMillis());
            dl.job = jobName;
            out.collect(ShopChange.ofDeadLetter(binding.table, dl));
        }
    }

    @SuppressWarnings("unchecked")
    private static ShopChange envelope(ShopTable table, RowChange<?> change) {
        switch (table) {
            case ORDERS:
                return ShopChange.ofOrder((RowChange<io.paystream.state.shop.OrderRow>) change);
            case ORDER_ITEMS:
                return ShopChange.ofItem((RowChange<io.paystream.state.shop.OrderItemRow>) change);
            case PAYMENTS:
                return ShopChange.ofPayment((RowChange<io.paystream.state.shop.PaymentRow>) change);
            case REFUNDS:
                return ShopChange.ofRefund((RowChange<io.paystream.state.shop.RefundRow>) change);
            default:
                return ShopChange.ofInventory((RowChange<io.paystream.state.shop.InventoryRow>) change);
        }
    }

    private Binding binding(Struct value) {
        if (bindings == null) {
            bindings = new IdentityHashMap<>();
        }
        Binding b = bindings.get(value.schema());
        if (b == null) {
            b = bind(value);
            bindings.put(value.schema(), b);
        }
        return b;
    }

    private Binding bind(Struct value) {
        Struct source = value.getStruct("source");
        String db = source.getString("db");
        String table = source.getString("table");
        for (TableMapping m : tables) {
            if (m.matches(db, table)) {
                Schema row = value.schema().field("after").schema();
                try {
                    return new Binding(m.table, new RowReader(m, db + "." + table, row), null);
                } catch (IllegalArgumentException e) {
                    return new Binding(m.table, null, e.getMessage() + " (mapping " + m.where + ")");
                }
            }
        }
        return new Binding(null, null, "table " + db + "." + table + " is not in the table mapping");
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

    private static long longOrZero(Long v) {
        return v == null ? 0L : v;
    }
}
