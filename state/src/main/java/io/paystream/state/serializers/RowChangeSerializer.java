package io.paystream.state.serializers;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A typed change of one shop table, {@code RowChange<R>}, as the jobs pass them between operators
 * (snapshot version 1 of each). One subclass per table, each a singleton with its own snapshot.
 */
public abstract class RowChangeSerializer<R> extends FlatSerializer<RowChange<R>> {
    private static final long serialVersionUID = 1L;

    abstract RowCodec<R> codec();

    @Override
    public RowChange<R> createInstance() {
        return new RowChange<>();
    }

    @Override
    public RowChange<R> copy(RowChange<R> from) {
        return codec().copyChange(from);
    }

    @Override
    public void serialize(RowChange<R> change, DataOutputView out) throws IOException {
        codec().writeChange(change, out);
    }

    @Override
    public RowChange<R> deserialize(DataInputView in) throws IOException {
        return codec().readChange(in);
    }

    /** Changes of {@code orders}. */
    public static final class OrderChanges extends RowChangeSerializer<OrderRow> {
        private static final long serialVersionUID = 1L;
        public static final OrderChanges INSTANCE = new OrderChanges();

        @Override
        RowCodec<OrderRow> codec() {
            return RowCodec.ORDER;
        }

        @Override
        public Snapshot<RowChange<OrderRow>> snapshotConfiguration() {
            return new OrderChangesSnapshot();
        }

        public static final class OrderChangesSnapshot extends Snapshot<RowChange<OrderRow>> {
            public OrderChangesSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** Changes of {@code order_items}. */
    public static final class ItemChanges extends RowChangeSerializer<OrderItemRow> {
        private static final long serialVersionUID = 1L;
        public static final ItemChanges INSTANCE = new ItemChanges();

        @Override
        RowCodec<OrderItemRow> codec() {
            return RowCodec.ITEM;
        }

        @Override
        public Snapshot<RowChange<OrderItemRow>> snapshotConfiguration() {
            return new ItemChangesSnapshot();
        }

        public static final class ItemChangesSnapshot extends Snapshot<RowChange<OrderItemRow>> {
            public ItemChangesSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** Changes of {@code payments}: every payment event of the payments job crosses the network as one. */
    public static final class PaymentChanges extends RowChangeSerializer<PaymentRow> {
        private static final long serialVersionUID = 1L;
        public static final PaymentChanges INSTANCE = new PaymentChanges();

        @Override
        RowCodec<PaymentRow> codec() {
            return RowCodec.PAYMENT;
        }

        @Override
        public Snapshot<RowChange<PaymentRow>> snapshotConfiguration() {
            return new PaymentChangesSnapshot();
        }

        public static final class PaymentChangesSnapshot extends Snapshot<RowChange<PaymentRow>> {
            public PaymentChangesSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** Changes of {@code inventory}. */
    public static final class InventoryChanges extends RowChangeSerializer<InventoryRow> {
        private static final long serialVersionUID = 1L;
        public static final InventoryChanges INSTANCE = new InventoryChanges();

        @Override
        RowCodec<InventoryRow> codec() {
            return RowCodec.INVENTORY;
        }

        @Override
        public Snapshot<RowChange<InventoryRow>> snapshotConfiguration() {
            return new InventoryChangesSnapshot();
        }

        public static final class InventoryChangesSnapshot extends Snapshot<RowChange<InventoryRow>> {
            public InventoryChangesSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** Changes of {@code refunds}. */
    public static final class RefundChanges extends RowChangeSerializer<RefundRow> {
        private static final long serialVersionUID = 1L;
        public static final RefundChanges INSTANCE = new RefundChanges();

        @Override
        RowCodec<RefundRow> codec() {
            return RowCodec.REFUND;
        }

        @Override
        public Snapshot<RowChange<RefundRow>> snapshotConfiguration() {
            return new RefundChangesSnapshot();
        }

        public static final class RefundChangesSnapshot extends Snapshot<RowChange<RefundRow>> {
            public RefundChangesSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
