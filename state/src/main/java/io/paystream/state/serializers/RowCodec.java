package io.paystream.state.serializers;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** One shop table's row written, read and copied field by field ({@link ShopRows}), and its changes. */
interface RowCodec<R> {
    RowCodec<OrderRow> ORDER = of(ShopRows::writeOrder, ShopRows::readOrder, ShopRows::copyOrder);
    RowCodec<OrderItemRow> ITEM = of(ShopRows::writeItem, ShopRows::readItem, ShopRows::copyItem);
    RowCodec<PaymentRow> PAYMENT = of(ShopRows::writePayment, ShopRows::readPayment, ShopRows::copyPayment);
    RowCodec<InventoryRow> INVENTORY = of(ShopRows::writeInventory, ShopRows::readInventory, ShopRows::copyInventory);
    RowCodec<RefundRow> REFUND = of(ShopRows::writeRefund, ShopRows::readRefund, ShopRows::copyRefund);

    void write(R row, DataOutputView out) throws IOException;

    R read(DataInputView in) throws IOException;

    R copy(R row);

    /** A change: its op, whether each image is there and the image, the commit time and the version. */
    default void writeChange(RowChange<R> c, DataOutputView out) throws IOException {
        FlatSerializer.writeEnum(c.op, out);
        writeImage(c.before, out);
        writeImage(c.after, out);
        out.writeLong(c.sourceTsMs);
        out.writeLong(c.version);
    }

    default RowChange<R> readChange(DataInputView in) throws IOException {
        RowChange<R> c = new RowChange<>();
        c.op = FlatSerializer.readEnum(Ops.VALUES, in);
        c.before = readImage(in);
        c.after = readImage(in);
        c.sourceTsMs = in.readLong();
        c.version = in.readLong();
        return c;
    }

    default RowChange<R> copyChange(RowChange<R> c) {
        return new RowChange<>(
                c.op,
                c.before == null ? null : copy(c.before),
                c.after == null ? null : copy(c.after),
                c.sourceTsMs,
                c.version);
    }

    private void writeImage(R row, DataOutputView out) throws IOException {
        out.writeBoolean(row != null);
        if (row != null) {
            write(row, out);
        }
    }

    private R readImage(DataInputView in) throws IOException {
        return in.readBoolean() ? read(in) : null;
    }

    interface Writer<R> {
        void write(R row, DataOutputView out) throws IOException;
    }

    interface Reader<R> {
        R read(DataInputView in) throws IOException;
    }

    interface Copier<R> {
        R copy(R row);
    }

    private static <R> RowCodec<R> of(Writer<R> writer, Reader<R> reader, Copier<R> copier) {
        return new RowCodec<>() {
            @Override
            public void write(R row, DataOutputView out) throws IOException {
                writer.write(row, out);
            }

            @Override
            public R read(DataInputView in) throws IOException {
                return reader.read(in);
            }

            @Override
            public R copy(R row) {
                return copier.copy(row);
            }
        };
    }

    /** The change ops, read once. */
    final class Ops {
        static final ChangeOp[] VALUES = ChangeOp.values();

        private Ops() {}
    }
}
