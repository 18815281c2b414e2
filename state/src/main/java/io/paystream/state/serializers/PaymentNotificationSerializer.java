package io.paystream.state.serializers;

import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A verified {@link PaymentNotification} (snapshot version 1). */
public final class PaymentNotificationSerializer extends FlatSerializer<PaymentNotification> {
    private static final long serialVersionUID = 1L;
    public static final PaymentNotificationSerializer INSTANCE = new PaymentNotificationSerializer();

    private static final PaymentChannel[] CHANNELS = PaymentChannel.values();
    private static final PaymentStatus[] STATUSES = PaymentStatus.values();

    @Override
    public PaymentNotification createInstance() {
        return new PaymentNotification();
    }

    @Override
    public PaymentNotification copy(PaymentNotification from) {
        PaymentNotification to = new PaymentNotification();
        to.paymentId = from.paymentId;
        to.channel = from.channel;
        to.channelTxnId = from.channelTxnId;
        to.amountCents = from.amountCents;
        to.status = from.status;
        to.paidAt = from.paidAt;
        to.source = from.source;
        to.notifyId = from.notifyId;
        to.receivedAt = from.receivedAt;
        return to;
    }

    @Override
    public void serialize(PaymentNotification n, DataOutputView out) throws IOException {
        writeString(n.paymentId, out);
        writeEnum(n.channel, out);
        writeString(n.channelTxnId, out);
        out.writeLong(n.amountCents);
        writeEnum(n.status, out);
        out.writeLong(n.paidAt);
        writeString(n.source, out);
        writeString(n.notifyId, out);
        out.writeLong(n.receivedAt);
    }

    @Override
    public PaymentNotification deserialize(DataInputView in) throws IOException {
        PaymentNotification n = new PaymentNotification();
        n.paymentId = readString(in);
        n.channel = readEnum(CHANNELS, in);
        n.channelTxnId = readString(in);
        n.amountCents = in.readLong();
        n.status = readEnum(STATUSES, in);
        n.paidAt = in.readLong();
        n.source = readString(in);
        n.notifyId = readString(in);
        n.receivedAt = in.readLong();
        return n;
    }

    @Override
    public Snapshot<PaymentNotification> snapshotConfiguration() {
        return new PaymentNotificationSnapshot();
    }

    /** Version 1: the fields above, in that order. */
    public static final class PaymentNotificationSnapshot extends Snapshot<PaymentNotification> {
        public PaymentNotificationSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
