package io.paystream.state.serializers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Base of paystream's hand-written serializers for its hot types: the fields written one after the
 * other in a fixed order, no reflection, no per-field null flags (Flink's {@code PojoSerializer}
 * creates each object reflectively and writes a null flag per field; on the payments operator it
 * was a fifth of the time, issue 15).
 *
 * <p>Rules a subclass keeps, because its bytes are in savepoints:
 *
 * <ul>
 *   <li>Enums are written as their ordinal (a byte, -1 for null): their constants are only ever
 *       appended, never reordered or removed ({@code FlatSerializersTest} pins each enum's order).
 *   <li>The format of a snapshot version never changes. A new field means a new version: the
 *       snapshot's {@link Snapshot#getCurrentVersion()} goes up and state written by an older
 *       version is migrated (read with the serializer of its version, written with the new one).
 *   <li>State written by Flink's {@code PojoSerializer} (savepoints from before these serializers)
 *       is migrated on restore: {@link Snapshot#resolveSchemaCompatibility} says so.
 * </ul>
 */
public abstract class FlatSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    // --- field helpers ------------------------------------------------------------------------------

    protected static void writeEnum(Enum<?> value, DataOutputView out) throws IOException {
        out.writeByte(value == null ? -1 : value.ordinal());
    }

    protected static <E extends Enum<E>> E readEnum(E[] values, DataInputView in) throws IOException {
        int ordinal = in.readByte();
        return ordinal < 0 ? null : values[ordinal];
    }

    /** A string or null (Flink's own string encoding, null included). */
    protected static void writeString(String value, DataOutputView out) throws IOException {
        StringValue.writeString(value, out);
    }

    /**
     * Reads what {@link StringValue#writeString} wrote, byte for byte the same format, without its
     * thread-local buffer: Flink's {@code StringValue.readString} looks up a {@code ThreadLocal}
     * for every string, and on a task thread, whose thread-local map is crowded, that lookup was 7 %
     * of the stock ledger's order stage (issue 15). A string of Latin-1 characters, nearly all of
     * them (ids, IPs, hashes), is built from bytes.
     */
    protected static String readString(DataInputView in) throws IOException {
        int lengthPlusOne = readVarChar(in, in.readUnsignedByte());
        if (lengthPlusOne == 0) {
            return null;
        }
        int length = lengthPlusOne - 1;
        byte[] latin1 = new byte[length];
        for (int i = 0; i < length; i++) {
            int c = readVarChar(in, in.readUnsignedByte());
            if (c > 0xFF) {
                return readWideRest(in, latin1, i, c, length);
            }
            latin1[i] = (byte) c;
        }
        return new String(latin1, StandardCharsets.ISO_8859_1);
    }

    /** The rest of a string with a character beyond Latin-1 at {@code at}. */
    private static String readWideRest(DataInputView in, byte[] latin1, int at, int wide, int length)
            throws IOException {
        char[] chars = new char[length];
        for (int i = 0; i < at; i++) {
            chars[i] = (char) (latin1[i] & 0xFF);
        }
        chars[at] = (char) wide;
        for (int i = at + 1; i < length; i++) {
            chars[i] = (char) readVarChar(in, in.readUnsignedByte());
        }
        return new String(chars);
    }

    /** StringValue's variable-length number: 7 bits a byte, low bits first, high bit set on all but the last. */
    private static int readVarChar(DataInputView in, int first) throws IOException {
        if (first < 0x80) {
            return first;
        }
        int value = first & 0x7F;
        int shift = 7;
        int next;
        while ((next = in.readUnsignedByte()) >= 0x80) {
            value |= (next & 0x7F) << shift;
            shift += 7;
        }
        return value | (next << shift);
    }

    /**
     * The snapshot of a flat serializer: its own earlier snapshot is compatible as is, a
     * {@code PojoSerializer}'s (state written before these serializers) after migration.
     */
    public abstract static class Snapshot<T> extends SimpleTypeSerializerSnapshot<T> {
        protected Snapshot(java.util.function.Supplier<? extends TypeSerializer<T>> serializer) {
            super(serializer);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            if (old instanceof PojoSerializerSnapshot) {
                // A savepoint from before the hand-written serializer: read with the POJO
                // serializer it was written with, written again with this one.
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }
}
