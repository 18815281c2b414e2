package io.paystream.state.serializers;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A change of a payment row, {@code RowChange<PaymentRow>}, as the payments job receives it (version 1). */
public final class PaymentChangeSerializer extends FlatSerializer<RowChange<PaymentRow>> {
    private static final long serialVersionUID = 1L;
    public static final PaymentChangeSerializer INSTANCE = new PaymentChangeSerializer();

    private static final ChangeOp[] OPS = ChangeOp.values();
    private static final PaymentChannel[] CHANNELS = PaymentChannel.values();
    private static final PaymentStatus[] STATUSES = PaymentStatus.values();

    @Override
    public RowChange<PaymentRow> createInstance() {
        return new RowChange<>();
    }

    @Override
    public RowChange<PaymentRow> copy(RowChange<PaymentRow> from) {
        return new RowChange<>(from.op, copyRow(from.before), copyRow(from.after), from.sourceTsMs, from.version);
    }

    private static PaymentRow copyRow(PaymentRow from) {
        if (from == null) {
            return null;
        }
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

    @Override
    public void serialize(RowChange<PaymentRow> c, DataOutputView out) throws IOException {
        writeEnum(c.op, out);
        writeRow(c.before, out);
        writeRow(c.after, out);
        out.writeLong(c.sourceTsMs);
        out.writeLong(c.version);
    }

    @Override
    public RowChange<PaymentRow> deserialize(DataInputView in) throws IOException {
        RowChange<PaymentRow> c = new RowChange<>();
        c.op = readEnum(OPS, in);
        c.before = readRow(in);
        c.after = readRow(in);
        c.sourceTsMs = in.readLong();
        c.version = in.readLong();
        return c;
    }

    private static void writeRow(PaymentRow r, DataOutputView out) throws IOException {
        out.writeBoolean(r != null);
        if (r == null) {
            return;
        }
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

    private static PaymentRow readRow(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        PaymentRow r = new PaymentRow();
        r.paymentId = readString(in);
        r.orderId = in.readLong();
        r.orderNo = readString(in);
        r.channel = readEnum(CHANNELS, in);
        r.amountCents = in.readLong();
        r.status = readEnum(STATUSES, in);
        r.channelTxnId = readString(in);
        r.createdAtMs = in.readLong();
        r.updatedAtMs = in.readLong();
        return r;
    }

    @Override
    public Snapshot<RowChange<PaymentRow>> snapshotConfiguration() {
        return new PaymentChangeSnapshot();
    }

    /** Version 1: the fields above, in that order. */
    public static final class PaymentChangeSnapshot extends Snapshot<RowChange<PaymentRow>> {
        public PaymentChangeSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
