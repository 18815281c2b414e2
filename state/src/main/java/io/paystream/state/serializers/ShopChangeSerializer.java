package io.paystream.state.serializers;

import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the shop CDC source emits, {@link ShopChange} (snapshot version 1): the table, then which of
 * its bodies is there (one byte) and that body only. Flink's POJO serializer created, for every
 * record it read, an instance of each of the seven bodies and their rows, and threw them away (a
 * third of the stock ledger's order stage, issue 15).
 */
public final class ShopChangeSerializer extends FlatSerializer<ShopChange> {
    private static final long serialVersionUID = 1L;
    public static final ShopChangeSerializer INSTANCE = new ShopChangeSerializer();

    private static final ShopTable[] TABLES = ShopTable.values();
    // Which body a ShopChange carries (one at most; SNAPSHOT_ENDED carries only the server's name).
    private static final int NONE = 0;
    private static final int ORDER = 1;
    private static final int ITEM = 2;
    private static final int PAYMENT = 3;
    private static final int INVENTORY = 4;
    private static final int REFUND = 5;
    private static final int DEAD_LETTER = 6;

    @Override
    public ShopChange createInstance() {
        return new ShopChange();
    }

    @Override
    public ShopChange copy(ShopChange from) {
        ShopChange to = new ShopChange();
        to.table = from.table;
        to.order = from.order == null ? null : RowCodec.ORDER.copyChange(from.order);
        to.item = from.item == null ? null : RowCodec.ITEM.copyChange(from.item);
        to.payment = from.payment == null ? null : RowCodec.PAYMENT.copyChange(from.payment);
        to.inventory = from.inventory == null ? null : RowCodec.INVENTORY.copyChange(from.inventory);
        to.refund = from.refund == null ? null : RowCodec.REFUND.copyChange(from.refund);
        to.deadLetter = from.deadLetter == null ? null : ShopRows.copyDeadLetter(from.deadLetter);
        to.snapshotEndedOn = from.snapshotEndedOn;
        return to;
    }

    @Override
    public void serialize(ShopChange c, DataOutputView out) throws IOException {
        writeEnum(c.table, out);
        writeString(c.snapshotEndedOn, out);
        // Exactly one body at most (ShopChange's factories); more than one is a bug worth failing on.
        int bodies = (c.order != null ? 1 : 0)
                + (c.item != null ? 1 : 0)
                + (c.payment != null ? 1 : 0)
                + (c.inventory != null ? 1 : 0)
                + (c.refund != null ? 1 : 0)
                + (c.deadLetter != null ? 1 : 0);
        if (bodies > 1) {
            throw new IllegalArgumentException("a ShopChange carries one body at most: " + c);
        }
        if (c.order != null) {
            out.writeByte(ORDER);
            RowCodec.ORDER.writeChange(c.order, out);
        } else if (c.item != null) {
            out.writeByte(ITEM);
            RowCodec.ITEM.writeChange(c.item, out);
        } else if (c.payment != null) {
            out.writeByte(PAYMENT);
            RowCodec.PAYMENT.writeChange(c.payment, out);
        } else if (c.inventory != null) {
            out.writeByte(INVENTORY);
            RowCodec.INVENTORY.writeChange(c.inventory, out);
        } else if (c.refund != null) {
            out.writeByte(REFUND);
            RowCodec.REFUND.writeChange(c.refund, out);
        } else if (c.deadLetter != null) {
            out.writeByte(DEAD_LETTER);
            ShopRows.writeDeadLetter(c.deadLetter, out);
        } else {
            out.writeByte(NONE);
        }
    }

    @Override
    public ShopChange deserialize(DataInputView in) throws IOException {
        ShopChange c = new ShopChange();
        c.table = readEnum(TABLES, in);
        c.snapshotEndedOn = readString(in);
        int body = in.readByte();
        switch (body) {
            case NONE -> {}
            case ORDER -> c.order = RowCodec.ORDER.readChange(in);
            case ITEM -> c.item = RowCodec.ITEM.readChange(in);
            case PAYMENT -> c.payment = RowCodec.PAYMENT.readChange(in);
            case INVENTORY -> c.inventory = RowCodec.INVENTORY.readChange(in);
            case REFUND -> c.refund = RowCodec.REFUND.readChange(in);
            case DEAD_LETTER -> c.deadLetter = ShopRows.readDeadLetter(in);
            default -> throw new IOException("unknown ShopChange body " + body);
        }
        return c;
    }

    @Override
    public Snapshot<ShopChange> snapshotConfiguration() {
        return new ShopChangeSnapshot();
    }

    /** Version 1: the table, the server whose snapshot ended, the body's kind and the body. */
    public static final class ShopChangeSnapshot extends Snapshot<ShopChange> {
        public ShopChangeSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
