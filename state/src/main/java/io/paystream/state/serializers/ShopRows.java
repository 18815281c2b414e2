package io.paystream.state.serializers;

import static io.paystream.state.serializers.FlatSerializer.readEnum;
import static io.paystream.state.serializers.FlatSerializer.readString;
import static io.paystream.state.serializers.FlatSerializer.writeEnum;
import static io.paystream.state.serializers.FlatSerializer.writeString;

import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.ExtraColumn;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.shop.RefundRow;
import io.paystream.state.shop.RefundRowStatus;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The shop's rows field by field, for the serializers of their changes ({@link RowChangeSerializer},
 * {@link ShopChangeSerializer}). Version 1 of each row's format; a row is never null here (the
 * change's serializer writes whether an image is there).
 */
final class ShopRows {
    private static final OrderStatus[] ORDER_STATUSES = OrderStatus.values();
    private static final PaymentChannel[] CHANNELS = PaymentChannel.values();
    private static final PaymentStatus[] PAYMENT_STATUSES = PaymentStatus.values();
    private static final DeductMode[] DEDUCT_MODES = DeductMode.values();
    private static final RefundRowStatus[] REFUND_STATUSES = RefundRowStatus.values();

    private ShopRows() {}

    // --- orders ---------------------------------------------------------------------------------------

    static void writeOrder(OrderRow r, DataOutputView out) throws IOException {
        out.writeLong(r.orderId);
        writeString(r.orderNo, out);
        out.writeLong(r.userId);
        writeEnum(r.status, out);
        out.writeLong(r.totalAmountCents);
        writeString(r.submitHash, out);
        writeString(r.clientIp, out);
        out.writeLong(r.createdAtMs);
        out.writeLong(r.updatedAtMs);
        if (r.extra == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(r.extra.length);
            for (ExtraColumn c : r.extra) {
                out.writeBoolean(c != null);
                if (c != null) {
                    writeString(c.name, out);
                    writeString(c.value, out);
                }
            }
        }
    }

    static OrderRow readOrder(DataInputView in) throws IOException {
        OrderRow r = new OrderRow();
        r.orderId = in.readLong();
        r.orderNo = readString(in);
        r.userId = in.readLong();
        r.status = readEnum(ORDER_STATUSES, in);
        r.totalAmountCents = in.readLong();
        r.submitHash = readString(in);
        r.clientIp = readString(in);
        r.createdAtMs = in.readLong();
        r.updatedAtMs = in.readLong();
        int extras = in.readInt();
        if (extras >= 0) {
            r.extra = new ExtraColumn[extras];
            for (int i = 0; i < extras; i++) {
                r.extra[i] = in.readBoolean() ? new ExtraColumn(readString(in), readString(in)) : null;
            }
        }
        return r;
    }

    static OrderRow copyOrder(OrderRow from) {
        OrderRow to = new OrderRow();
        to.orderId = from.orderId;
        to.orderNo = from.orderNo;
        to.userId = from.userId;
        to.status = from.status;
        to.totalAmountCents = from.totalAmountCents;
        to.submitHash = from.submitHash;
        to.clientIp = from.clientIp;
        to.createdAtMs = from.createdAtMs;
        to.updatedAtMs = from.updatedAtMs;
        if (from.extra != null) {
            to.extra = new ExtraColumn[from.extra.length];
            for (int i = 0; i < from.extra.length; i++) {
                ExtraColumn c = from.extra[i];
                to.extra[i] = c == null ? null : new ExtraColumn(c.name, c.value);
            }
        }
        return to;
    }

    // --- order items -----------------------------------------------------------------------------------

    static void writeItem(OrderItemRow r, DataOutputView out) throws IOException {
        out.writeLong(r.itemId);
        out.writeLong(r.orderId);
        writeString(r.orderNo, out);
        out.writeLong(r.skuId);
        out.writeInt(r.quantity);
        out.writeLong(r.unitPriceCents);
    }

    static OrderItemRow readItem(DataInputView in) throws IOException {
        OrderItemRow r = new OrderItemRow();
        r.itemId = in.readLong();
        r.orderId = in.readLong();
        r.orderNo = readString(in);
        r.skuId = in.readLong();
        r.quantity = in.readInt();
        r.unitPriceCents = in.readLong();
        return r;
    }

    static OrderItemRow copyItem(OrderItemRow from) {
        OrderItemRow to = new OrderItemRow();
        to.itemId = from.itemId;
        to.orderId = from.orderId;
        to.orderNo = from.orderNo;
        to.skuId = from.skuId;
        to.quantity = from.quantity;
        to.unitPriceCents = from.unitPriceCents;
        return to;
    }

    // --- payments ----------------------------------------------------------------------------------------

    static void writePayment(PaymentRow r, DataOutputView out) throws IOException {
        writeString(r.paymentId, out);
        out.writeLong(r.orderId);
        writeString(r.orderNo, out);
        writeEnum(r.channel, out);
        out.writeLong(r.amountCents);
        writeEnum(r.status, out);
        writeString(r.channelTxnId, out);
        out.writeLong(r.createdAtMs);
        out.writeLong(r.updatedAtMs);
    }

    static PaymentRow readPayment(DataInputView in) throws IOException {
        PaymentRow r = new PaymentRow();
        r.paymentId = readString(in);
        r.orderId = in.readLong();
        r.orderNo = readString(in);
        r.channel = readEnum(CHANNELS, in);
        r.amountCents = in.readLong();
        r.status = readEnum(PAYMENT_STATUSES, in);
        r.channelTxnId = readString(in);
        r.createdAtMs = in.readLong();
        r.updatedAtMs = in.readLong();
        return r;
    }

    static PaymentRow copyPayment(PaymentRow from) {
        PaymentRow to = new PaymentRow();
        to.paymentId = from.paymentId;
        to.orderId = from.orderId;
        to.orderNo = from.orderNo;
        to.channel = from.channel;
        to.amountCents = from.amountCents;
        to.status = from.status;
        to.channelTxnId = from.channelTxnId;
        to.createdAtMs = from.createdAtMs;
        to.updatedAtMs = from.updatedAtMs;
        return to;
    }

    // --- inventory -----------------------------------------------------------------------------------------

    static void writeInventory(InventoryRow r, DataOutputView out) throws IOException {
        out.writeLong(r.skuId);
        writeString(r.name, out);
        out.writeInt(r.stock);
        writeEnum(r.deductMode, out);
        out.writeBoolean(r.perUserLimit != null);
        if (r.perUserLimit != null) {
            out.writeInt(r.perUserLimit);
        }
        out.writeLong(r.updatedAtMs);
    }

    static InventoryRow readInventory(DataInputView in) throws IOException {
        InventoryRow r = new InventoryRow();
        r.skuId = in.readLong();
        r.name = readString(in);
        r.stock = in.readInt();
        r.deductMode = readEnum(DEDUCT_MODES, in);
        r.perUserLimit = in.readBoolean() ? in.readInt() : null;
        r.updatedAtMs = in.readLong();
        return r;
    }

    static InventoryRow copyInventory(InventoryRow from) {
        InventoryRow to = new InventoryRow();
        to.skuId = from.skuId;
        to.name = from.name;
        to.stock = from.stock;
        to.deductMode = from.deductMode;
        to.perUserLimit = from.perUserLimit;
        to.updatedAtMs = from.updatedAtMs;
        return to;
    }

    // --- refunds ---------------------------------------------------------------------------------------------

    static void writeRefund(RefundRow r, DataOutputView out) throws IOException {
        writeString(r.refundId, out);
        writeString(r.paymentId, out);
        out.writeLong(r.orderId);
        writeEnum(r.channel, out);
        out.writeLong(r.amountCents);
        writeEnum(r.status, out);
        writeString(r.channelRefundId, out);
        out.writeLong(r.createdAtMs);
        out.writeLong(r.updatedAtMs);
    }

    static RefundRow readRefund(DataInputView in) throws IOException {
        RefundRow r = new RefundRow();
        r.refundId = readString(in);
        r.paymentId = readString(in);
        r.orderId = in.readLong();
        r.channel = readEnum(CHANNELS, in);
        r.amountCents = in.readLong();
        r.status = readEnum(REFUND_STATUSES, in);
        r.channelRefundId = readString(in);
        r.createdAtMs = in.readLong();
        r.updatedAtMs = in.readLong();
        return r;
    }

    static RefundRow copyRefund(RefundRow from) {
        RefundRow to = new RefundRow();
        to.refundId = from.refundId;
        to.paymentId = from.paymentId;
        to.orderId = from.orderId;
        to.channel = from.channel;
        to.amountCents = from.amountCents;
        to.status = from.status;
        to.channelRefundId = from.channelRefundId;
        to.createdAtMs = from.createdAtMs;
        to.updatedAtMs = from.updatedAtMs;
        return to;
    }

    // --- dead letters -------------------------------------------------------------------------------------------

    static void writeDeadLetter(DeadLetter d, DataOutputView out) throws IOException {
        writeString(d.source, out);
        writeString(d.reason, out);
        writeString(d.raw, out);
        out.writeLong(d.timeMs);
        writeString(d.job, out);
    }

    static DeadLetter readDeadLetter(DataInputView in) throws IOException {
        DeadLetter d = new DeadLetter();
        d.source = readString(in);
        d.reason = readString(in);
        d.raw = readString(in);
        d.timeMs = in.readLong();
        d.job = readString(in);
        return d;
    }

    static DeadLetter copyDeadLetter(DeadLetter from) {
        DeadLetter to = new DeadLetter();
        to.source = from.source;
        to.reason = from.reason;
        to.raw = from.raw;
        to.timeMs = from.timeMs;
        to.job = from.job;
        return to;
    }
}
