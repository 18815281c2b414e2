package io.paystream.state.serializers;

import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.stock.AccountOrder;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderPhase;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.RiskOrder;
import io.paystream.state.stock.RiskWindow;
import io.paystream.state.stock.SkuHolding;
import io.paystream.state.stock.SkuLedger;
import io.paystream.state.stock.StockHolding;
import io.paystream.state.stock.SubmitMark;
import io.paystream.state.stock.UserHold;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The stock ledger's hand-written serializers (snapshot version 1 of each): the records its stages
 * pass on for every order change ({@link AccountOrder} to the risk check, {@link StockHolding} to the
 * SKU ledger), and the two value states read and written for each of them ({@link OrderStockState}
 * per order, {@link SkuLedger} per SKU), and the values of the stages' other states: an order's
 * lines ({@link OrderLine}), a SKU's holdings per order and per user ({@link SkuHolding},
 * {@link UserHold}), the risk check's orders and window ({@link RiskOrder}, {@link RiskWindow}) and
 * the duplicate-submission mark ({@link SubmitMark}). POJO state of older savepoints is migrated on
 * restore, map states' values included.
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

    /**
     * The order stage's state per order, its lines included (format 2). Format 1, without the lines
     * (they were a map state of their own), is what the savepoints of 2026-12-02 hold: restored
     * with {@link OrderStockStateFormat1} and migrated, their lines moving in later (see {@link
     * OrderStockState#lines}).
     */
    public static final class OrderStockStateSerializer extends FlatSerializer<OrderStockState> {
        private static final long serialVersionUID = 1L;
        public static final OrderStockStateSerializer INSTANCE = new OrderStockStateSerializer();

        @Override
        public OrderStockState createInstance() {
            return new OrderStockState();
        }

        @Override
        public OrderStockState copy(OrderStockState from) {
            OrderStockState to = OrderStockStateFormat1.copyFields(from);
            if (from.lines != null) {
                to.lines = new OrderLine[from.lines.length];
                for (int i = 0; i < from.lines.length; i++) {
                    to.lines[i] = OrderLineSerializer.INSTANCE.copy(from.lines[i]);
                }
            }
            return to;
        }

        @Override
        public void serialize(OrderStockState s, DataOutputView out) throws IOException {
            OrderStockStateFormat1.writeFields(s, out);
            // -1: lines not moved in yet from an older savepoint's map state.
            out.writeInt(s.lines == null ? -1 : s.lines.length);
            if (s.lines != null) {
                for (OrderLine l : s.lines) {
                    OrderLineSerializer.writeLine(l, out);
                }
            }
        }

        @Override
        public OrderStockState deserialize(DataInputView in) throws IOException {
            OrderStockState s = OrderStockStateFormat1.readFields(in);
            int n = in.readInt();
            if (n >= 0) {
                s.lines = n == 0 ? OrderLine.NONE : new OrderLine[n];
                for (int i = 0; i < n; i++) {
                    s.lines[i] = OrderLineSerializer.readLine(in);
                }
            }
            return s;
        }

        @Override
        public Snapshot<OrderStockState> snapshotConfiguration() {
            return new OrderStockStateWithLinesSnapshot();
        }

        /** Format 1's snapshot (its name is in savepoints): restores the format-1 reader. */
        public static final class OrderStockStateSnapshot extends Snapshot<OrderStockState> {
            public OrderStockStateSnapshot() {
                super(() -> OrderStockStateFormat1.INSTANCE);
            }
        }

        /** Format 2's snapshot: format 1 and POJO state are compatible after migration. */
        public static final class OrderStockStateWithLinesSnapshot extends Snapshot<OrderStockState> {
            public OrderStockStateWithLinesSnapshot() {
                super(() -> INSTANCE);
            }

            @Override
            public TypeSerializerSchemaCompatibility<OrderStockState> resolveSchemaCompatibility(
                    TypeSerializerSnapshot<OrderStockState> old) {
                if (old instanceof OrderStockStateSnapshot) {
                    return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
                }
                return super.resolveSchemaCompatibility(old);
            }
        }
    }

    /**
     * The order stage's state per order as written from 2026-12-02 until its lines moved in: read
     * only, to migrate a savepoint of that time (its lines come back null, i.e. still in the map
     * state).
     */
    public static final class OrderStockStateFormat1 extends FlatSerializer<OrderStockState> {
        private static final long serialVersionUID = 1L;
        public static final OrderStockStateFormat1 INSTANCE = new OrderStockStateFormat1();

        @Override
        public OrderStockState createInstance() {
            return new OrderStockState();
        }

        @Override
        public OrderStockState copy(OrderStockState from) {
            return copyFields(from);
        }

        @Override
        public void serialize(OrderStockState s, DataOutputView out) throws IOException {
            writeFields(s, out);
        }

        @Override
        public OrderStockState deserialize(DataInputView in) throws IOException {
            return readFields(in);
        }

        @Override
        public Snapshot<OrderStockState> snapshotConfiguration() {
            return new OrderStockStateSerializer.OrderStockStateSnapshot();
        }

        static OrderStockState copyFields(OrderStockState from) {
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

        static void writeFields(OrderStockState s, DataOutputView out) throws IOException {
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

        static OrderStockState readFields(DataInputView in) throws IOException {
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

    /**
     * One line of an order: inside {@link OrderStockState}, and the value of the order stage's older
     * "order-lines" map state (per item), read when lines of an older savepoint move.
     */
    public static final class OrderLineSerializer extends FlatSerializer<OrderLine> {
        private static final long serialVersionUID = 1L;
        public static final OrderLineSerializer INSTANCE = new OrderLineSerializer();

        @Override
        public OrderLine createInstance() {
            return new OrderLine();
        }

        @Override
        public OrderLine copy(OrderLine from) {
            return new OrderLine(from.itemId, from.skuId, from.quantity, from.unitPriceCents, from.version);
        }

        @Override
        public void serialize(OrderLine l, DataOutputView out) throws IOException {
            writeLine(l, out);
        }

        static void writeLine(OrderLine l, DataOutputView out) throws IOException {
            out.writeLong(l.itemId);
            out.writeLong(l.skuId);
            out.writeLong(l.quantity);
            out.writeLong(l.unitPriceCents);
            out.writeLong(l.version);
        }

        @Override
        public OrderLine deserialize(DataInputView in) throws IOException {
            return readLine(in);
        }

        static OrderLine readLine(DataInputView in) throws IOException {
            return new OrderLine(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        }

        @Override
        public Snapshot<OrderLine> snapshotConfiguration() {
            return new OrderLineSnapshot();
        }

        public static final class OrderLineSnapshot extends Snapshot<OrderLine> {
            public OrderLineSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** What one order holds of a SKU, a value of the SKU ledger's map state per order. */
    public static final class SkuHoldingSerializer extends FlatSerializer<SkuHolding> {
        private static final long serialVersionUID = 1L;
        public static final SkuHoldingSerializer INSTANCE = new SkuHoldingSerializer();

        @Override
        public SkuHolding createInstance() {
            return new SkuHolding();
        }

        @Override
        public SkuHolding copy(SkuHolding from) {
            SkuHolding to = new SkuHolding();
            to.userId = from.userId;
            to.createdAtMs = from.createdAtMs;
            to.quantity = from.quantity;
            to.amountCents = from.amountCents;
            to.phase = from.phase;
            to.revision = from.revision;
            to.saleSeq = from.saleSeq;
            to.oversold = from.oversold;
            to.overLimit = from.overLimit;
            return to;
        }

        @Override
        public void serialize(SkuHolding h, DataOutputView out) throws IOException {
            out.writeLong(h.userId);
            out.writeLong(h.createdAtMs);
            out.writeLong(h.quantity);
            out.writeLong(h.amountCents);
            writeEnum(h.phase, out);
            out.writeInt(h.revision);
            out.writeLong(h.saleSeq);
            out.writeBoolean(h.oversold);
            out.writeBoolean(h.overLimit);
        }

        @Override
        public SkuHolding deserialize(DataInputView in) throws IOException {
            SkuHolding h = new SkuHolding();
            h.userId = in.readLong();
            h.createdAtMs = in.readLong();
            h.quantity = in.readLong();
            h.amountCents = in.readLong();
            h.phase = readEnum(HOLDING_PHASES, in);
            h.revision = in.readInt();
            h.saleSeq = in.readLong();
            h.oversold = in.readBoolean();
            h.overLimit = in.readBoolean();
            return h;
        }

        @Override
        public Snapshot<SkuHolding> snapshotConfiguration() {
            return new SkuHoldingSnapshot();
        }

        public static final class SkuHoldingSnapshot extends Snapshot<SkuHolding> {
            public SkuHoldingSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** The units one user holds of a SKU and the orders holding them (purchase limits). */
    public static final class UserHoldSerializer extends FlatSerializer<UserHold> {
        private static final long serialVersionUID = 1L;
        public static final UserHoldSerializer INSTANCE = new UserHoldSerializer();

        @Override
        public UserHold createInstance() {
            return new UserHold();
        }

        @Override
        public UserHold copy(UserHold from) {
            UserHold to = new UserHold();
            to.units = from.units;
            to.orderIds = from.orderIds == null ? null : from.orderIds.clone();
            return to;
        }

        @Override
        public void serialize(UserHold h, DataOutputView out) throws IOException {
            out.writeLong(h.units);
            // -1 for a null array (Flink's POJO serializer kept the null; nothing here sets it).
            out.writeInt(h.orderIds == null ? -1 : h.orderIds.length);
            if (h.orderIds != null) {
                for (long id : h.orderIds) {
                    out.writeLong(id);
                }
            }
        }

        @Override
        public UserHold deserialize(DataInputView in) throws IOException {
            UserHold h = new UserHold();
            h.units = in.readLong();
            int n = in.readInt();
            if (n < 0) {
                h.orderIds = null;
            } else {
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = in.readLong();
                }
                h.orderIds = ids;
            }
            return h;
        }

        @Override
        public Snapshot<UserHold> snapshotConfiguration() {
            return new UserHoldSnapshot();
        }

        public static final class UserHoldSnapshot extends Snapshot<UserHold> {
            public UserHoldSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** An order the unpaid-order risk check counts against one subject, per order. */
    public static final class RiskOrderSerializer extends FlatSerializer<RiskOrder> {
        private static final long serialVersionUID = 1L;
        public static final RiskOrderSerializer INSTANCE = new RiskOrderSerializer();

        @Override
        public RiskOrder createInstance() {
            return new RiskOrder();
        }

        @Override
        public RiskOrder copy(RiskOrder from) {
            RiskOrder to = new RiskOrder();
            to.createdAtMs = from.createdAtMs;
            to.unpaid = from.unpaid;
            to.version = from.version;
            to.named = from.named;
            return to;
        }

        @Override
        public void serialize(RiskOrder o, DataOutputView out) throws IOException {
            out.writeLong(o.createdAtMs);
            out.writeBoolean(o.unpaid);
            out.writeLong(o.version);
            out.writeBoolean(o.named);
        }

        @Override
        public RiskOrder deserialize(DataInputView in) throws IOException {
            RiskOrder o = new RiskOrder();
            o.createdAtMs = in.readLong();
            o.unpaid = in.readBoolean();
            o.version = in.readLong();
            o.named = in.readBoolean();
            return o;
        }

        @Override
        public Snapshot<RiskOrder> snapshotConfiguration() {
            return new RiskOrderSnapshot();
        }

        public static final class RiskOrderSnapshot extends Snapshot<RiskOrder> {
            public RiskOrderSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** The risk check's count of one subject's unpaid orders in the window. */
    public static final class RiskWindowSerializer extends FlatSerializer<RiskWindow> {
        private static final long serialVersionUID = 1L;
        public static final RiskWindowSerializer INSTANCE = new RiskWindowSerializer();

        @Override
        public RiskWindow createInstance() {
            return new RiskWindow();
        }

        @Override
        public RiskWindow copy(RiskWindow from) {
            RiskWindow to = new RiskWindow();
            to.unpaid = from.unpaid;
            to.flagged = from.flagged;
            return to;
        }

        @Override
        public void serialize(RiskWindow w, DataOutputView out) throws IOException {
            out.writeInt(w.unpaid);
            out.writeBoolean(w.flagged);
        }

        @Override
        public RiskWindow deserialize(DataInputView in) throws IOException {
            RiskWindow w = new RiskWindow();
            w.unpaid = in.readInt();
            w.flagged = in.readBoolean();
            return w;
        }

        @Override
        public Snapshot<RiskWindow> snapshotConfiguration() {
            return new RiskWindowSnapshot();
        }

        public static final class RiskWindowSnapshot extends Snapshot<RiskWindow> {
            public RiskWindowSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /** The first order submitted with a checkout's submit hash, kept for the window. */
    public static final class SubmitMarkSerializer extends FlatSerializer<SubmitMark> {
        private static final long serialVersionUID = 1L;
        public static final SubmitMarkSerializer INSTANCE = new SubmitMarkSerializer();

        @Override
        public SubmitMark createInstance() {
            return new SubmitMark();
        }

        @Override
        public SubmitMark copy(SubmitMark from) {
            return new SubmitMark(from.orderId, from.createdAtMs);
        }

        @Override
        public void serialize(SubmitMark m, DataOutputView out) throws IOException {
            out.writeLong(m.orderId);
            out.writeLong(m.createdAtMs);
        }

        @Override
        public SubmitMark deserialize(DataInputView in) throws IOException {
            return new SubmitMark(in.readLong(), in.readLong());
        }

        @Override
        public Snapshot<SubmitMark> snapshotConfiguration() {
            return new SubmitMarkSnapshot();
        }

        public static final class SubmitMarkSnapshot extends Snapshot<SubmitMark> {
            public SubmitMarkSnapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
