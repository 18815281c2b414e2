package io.paystream.state.serializers;

import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.stock.AccountOrder;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.OrderPhase;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.SkuLedger;
import io.paystream.state.stock.StockHolding;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The stock ledger's hand-written serializers (snapshot version 1 of each): the records its stages
 * pass on for every order change ({@link AccountOrder} to the risk check, {@link StockHolding} to the
 * SKU ledger), and the two value states read and written for each of them ({@link OrderStockState}
 * per order, {@link SkuLedger} per SKU; POJO state of older savepoints is migrated on restore).
 */
public final class StockSerializers {
    private static final OrderStatus[] ORDER_STATUSES = OrderStatus.values();
    private static final HoldingPhase[] HOLDING_PHASES = HoldingPhase.values();
    private static final OrderPhase[] ORDER_PHASES = OrderPhase.values();
    private static final DeductMode[] DEDUCT_MODES = DeductMode.values();

    private StockSerializers() {}

    /** An order change counted against one subject (account or IP) by the unpaid-order risk check. */
    public static final class AccountOrderSerializer extends FlatSerializer<AccountOrder> {
        private static final long serialVersionUID = 1L;
        public static final AccountOrderSerializer INSTANCE = new AccountOrderSerializer();

        @Override
        public AccountOrder createInstance() {
            return new AccountOrder();
        }

        @Override
        public AccountOrder copy(AccountOrder from) {
            AccountOrder to = new AccountOrder();
            to.subject = from.subject;
            to.orderId = from.orderId;
            to.userId = from.userId;
            to.clientIp = from.clientIp;
            to.status = from.status;
            to.deleted = from.deleted;
            to.createdAtMs = from.createdAtMs;
            to.version = from.version;
            return to;
        }

        @Override
        public void serialize(AccountOrder a, DataOutputView out) throws IOException {
            writeString(a.subject, out);
            out.writeLong(a.orderId);
            out.writeLong(a.userId);
            writeString(a.clientIp, out);
            writeEnum(a.status, out);
            out.writeBoolean(a.deleted);
            out.writeLong(a.createdAtMs);
            out.writeLong(a.version);
        }

        @Override
        public AccountOrder deserialize(DataInputView in) throws IOException {
            AccountOrder a = new AccountOrder();
            a.subject = readString(in);
            a.orderId = in.readLong();
            a.userId = in.readLong();
            a.clientIp = readString(in);
            a.status = readEnum(ORDER_STATUSES, in);
            a.deleted = in.readBoolean();
            a.createdAtMs = in.readLong();
            a.version = in.readLong();
            return a;
        }

        @Override
        public Snapshot<AccountOrder> snapshotConfiguration() {
            return new AccountOrderSnapshot();
        }

        public static final class AccountOrderSnapshot extends Snapshot<AccountOrder> {
            public AccountOrderSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** What an order holds of one SKU, as the order stage tells the SKU ledger. */
    public static final class StockHoldingSerializer extends FlatSerializer<StockHolding> {
        private static final long serialVersionUID = 1L;
        public static final StockHoldingSerializer INSTANCE = new StockHoldingSerializer();

        @Override
        public StockHolding createInstance() {
            return new StockHolding();
        }

        @Override
        public StockHolding copy(StockHolding from) {
            StockHolding to = new StockHolding();
            to.skuId = from.skuId;
            to.orderId = from.orderId;
            to.userId = from.userId;
            to.createdAtMs = from.createdAtMs;
            to.quantity = from.quantity;
            to.amountCents = from.amountCents;
            to.phase = from.phase;
            to.revision = from.revision;
            return to;
        }

        @Override
        public void serialize(StockHolding h, DataOutputView out) throws IOException {
            out.writeLong(h.skuId);
            out.writeLong(h.orderId);
            out.writeLong(h.userId);
            out.writeLong(h.createdAtMs);
            out.writeLong(h.quantity);
            out.writeLong(h.amountCents);
            writeEnum(h.phase, out);
            out.writeInt(h.revision);
        }

        @Override
        public StockHolding deserialize(DataInputView in) throws IOException {
            StockHolding h = new StockHolding();
            h.skuId = in.readLong();
            h.orderId = in.readLong();
            h.userId = in.readLong();
            h.createdAtMs = in.readLong();
            h.quantity = in.readLong();
            h.amountCents = in.readLong();
            h.phase = readEnum(HOLDING_PHASES, in);
            h.revision = in.readInt();
            return h;
        }

        @Override
        public Snapshot<StockHolding> snapshotConfiguration() {
            return new StockHoldingSnapshot();
        }

        public static final class StockHoldingSnapshot extends Snapshot<StockHolding> {
            public StockHoldingSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** The order stage's state per order. */
    public static final class OrderStockStateSerializer extends FlatSerializer<OrderStockState> {
        private static final long serialVersionUID = 1L;
        public static final OrderStockStateSerializer INSTANCE = new OrderStockStateSerializer();

        @Override
        public OrderStockState createInstance() {
            return new OrderStockState();
        }

        @Override
        public OrderStockState copy(OrderStockState from) {
            OrderStockState to = new OrderStockState();
            to.orderVersion = from.orderVersion;
            to.userId = from.userId;
            to.status = from.status;
            to.deleted = from.deleted;
            to.createdAtMs = from.createdAtMs;
            to.paidBy = from.paidBy;
            to.paymentVersion = from.paymentVersion;
            to.expired = from.expired;
            to.expiryCheckAt = from.expiryCheckAt;
            to.modeRechecked = from.modeRechecked;
            to.phase = from.phase;
            to.revision = from.revision;
            to.retireAt = from.retireAt;
            to.retireTimer = from.retireTimer;
            to.orderPhase = from.orderPhase;
            return to;
        }

        @Override
        public void serialize(OrderStockState s, DataOutputView out) throws IOException {
            out.writeLong(s.orderVersion);
            out.writeLong(s.userId);
            writeEnum(s.status, out);
            out.writeBoolean(s.deleted);
            out.writeLong(s.createdAtMs);
            writeString(s.paidBy, out);
            out.writeLong(s.paymentVersion);
            out.writeBoolean(s.expired);
            out.writeLong(s.expiryCheckAt);
            out.writeBoolean(s.modeRechecked);
            writeEnum(s.phase, out);
            out.writeInt(s.revision);
            out.writeLong(s.retireAt);
            out.writeLong(s.retireTimer);
            writeEnum(s.orderPhase, out);
        }

        @Override
        public OrderStockState deserialize(DataInputView in) throws IOException {
            OrderStockState s = new OrderStockState();
            s.orderVersion = in.readLong();
            s.userId = in.readLong();
            s.status = readEnum(ORDER_STATUSES, in);
            s.deleted = in.readBoolean();
            s.createdAtMs = in.readLong();
            s.paidBy = readString(in);
            s.paymentVersion = in.readLong();
            s.expired = in.readBoolean();
            s.expiryCheckAt = in.readLong();
            s.modeRechecked = in.readBoolean();
            s.phase = readEnum(HOLDING_PHASES, in);
            s.revision = in.readInt();
            s.retireAt = in.readLong();
            s.retireTimer = in.readLong();
            s.orderPhase = readEnum(ORDER_PHASES, in);
            return s;
        }

        @Override
        public Snapshot<OrderStockState> snapshotConfiguration() {
            return new OrderStockStateSnapshot();
        }

        public static final class OrderStockStateSnapshot extends Snapshot<OrderStockState> {
            public OrderStockStateSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** The SKU ledger's state per SKU. */
    public static final class SkuLedgerSerializer extends FlatSerializer<SkuLedger> {
        private static final long serialVersionUID = 1L;
        public static final SkuLedgerSerializer INSTANCE = new SkuLedgerSerializer();

        @Override
        public SkuLedger createInstance() {
            return new SkuLedger();
        }

        @Override
        public SkuLedger copy(SkuLedger from) {
            SkuLedger to = new SkuLedger();
            to.stock = from.stock;
            to.mode = from.mode;
            to.perUserLimit = from.perUserLimit;
            to.inventoryVersion = from.inventoryVersion;
            to.openUnits = from.openUnits;
            to.paidUnits = from.paidUnits;
            to.saleSeq = from.saleSeq;
            to.revision = from.revision;
            to.publishedReserved = from.publishedReserved;
            to.publishedSold = from.publishedSold;
            return to;
        }

        @Override
        public void serialize(SkuLedger l, DataOutputView out) throws IOException {
            out.writeLong(l.stock);
            writeEnum(l.mode, out);
            out.writeBoolean(l.perUserLimit != null);
            if (l.perUserLimit != null) {
                out.writeInt(l.perUserLimit);
            }
            out.writeLong(l.inventoryVersion);
            out.writeLong(l.openUnits);
            out.writeLong(l.paidUnits);
            out.writeLong(l.saleSeq);
            out.writeLong(l.revision);
            out.writeLong(l.publishedReserved);
            out.writeLong(l.publishedSold);
        }

        @Override
        public SkuLedger deserialize(DataInputView in) throws IOException {
            SkuLedger l = new SkuLedger();
            l.stock = in.readLong();
            l.mode = readEnum(DEDUCT_MODES, in);
            l.perUserLimit = in.readBoolean() ? in.readInt() : null;
            l.inventoryVersion = in.readLong();
            l.openUnits = in.readLong();
            l.paidUnits = in.readLong();
            l.saleSeq = in.readLong();
            l.revision = in.readLong();
            l.publishedReserved = in.readLong();
            l.publishedSold = in.readLong();
            return l;
        }

        @Override
        public Snapshot<SkuLedger> snapshotConfiguration() {
            return new SkuLedgerSnapshot();
        }

        public static final class SkuLedgerSnapshot extends Snapshot<SkuLedger> {
            public SkuLedgerSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
