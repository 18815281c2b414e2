package io.paystream.state.serializers;

import io.paystream.state.payments.PaymentPhase;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link PaymentWatch}, the payments operator's per-payment state (snapshot version 1). */
public final class PaymentWatchSerializer extends FlatSerializer<PaymentWatch> {
    private static final long serialVersionUID = 1L;
    public static final PaymentWatchSerializer INSTANCE = new PaymentWatchSerializer();

    private static final PaymentChannel[] CHANNELS = PaymentChannel.values();
    private static final PaymentStatus[] STATUSES = PaymentStatus.values();
    private static final PaymentPhase[] PHASES = PaymentPhase.values();

    @Override
    public PaymentWatch createInstance() {
        return new PaymentWatch();
    }

    @Override
    public PaymentWatch copy(PaymentWatch from) {
        PaymentWatch to = new PaymentWatch();
        to.orderId = from.orderId;
        to.channel = from.channel;
        to.amountCents = from.amountCents;
        to.status = from.status;
        to.version = from.version;
        to.payingSince = from.payingSince;
        to.nextAttempt = from.nextAttempt;
        to.lastActionAt = from.lastActionAt;
        to.publishedOutcomes = from.publishedOutcomes;
        to.forgetTimer = from.forgetTimer;
        to.answersWithoutOutcome = from.answersWithoutOutcome;
        to.phase = from.phase;
        to.unknownPaymentAlerted = from.unknownPaymentAlerted;
        return to;
    }

    @Override
    public void serialize(PaymentWatch w, DataOutputView out) throws IOException {
        out.writeLong(w.orderId);
        writeEnum(w.channel, out);
        out.writeLong(w.amountCents);
        writeEnum(w.status, out);
        out.writeLong(w.version);
        out.writeLong(w.payingSince);
        out.writeInt(w.nextAttempt);
        out.writeLong(w.lastActionAt);
        out.writeInt(w.publishedOutcomes);
        out.writeLong(w.forgetTimer);
        out.writeInt(w.answersWithoutOutcome);
        writeEnum(w.phase, out);
        out.writeBoolean(w.unknownPaymentAlerted);
    }

    @Override
    public PaymentWatch deserialize(DataInputView in) throws IOException {
        PaymentWatch w = new PaymentWatch();
        w.orderId = in.readLong();
        w.channel = readEnum(CHANNELS, in);
        w.amountCents = in.readLong();
        w.status = readEnum(STATUSES, in);
        w.version = in.readLong();
        w.payingSince = in.readLong();
        w.nextAttempt = in.readInt();
        w.lastActionAt = in.readLong();
        w.publishedOutcomes = in.readInt();
        w.forgetTimer = in.readLong();
        w.answersWithoutOutcome = in.readInt();
        w.phase = readEnum(PHASES, in);
        w.unknownPaymentAlerted = in.readBoolean();
        return w;
    }

    @Override
    public Snapshot<PaymentWatch> snapshotConfiguration() {
        return new PaymentWatchSnapshot();
    }

    /** Version 1: the fields above, in that order. */
    public static final class PaymentWatchSnapshot extends Snapshot<PaymentWatch> {
        public PaymentWatchSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
