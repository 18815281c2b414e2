package io.paystream.state.serializers;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentPhase;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written serializers: every public field of their type survives a round trip (a field
 * added to the type and forgotten in its serializer fails here, whatever its name), nulls survive,
 * copies are deep, the enums they write as ordinals keep their order, and state written by Flink's
 * POJO serializer is migrated.
 */
class FlatSerializersTest {

    @Test
    void everyFieldOfAPaymentWatchSurvivesARoundTrip() throws Exception {
        assertEveryFieldSurvives(PaymentWatchSerializer.INSTANCE, PaymentWatch::new);
    }

    @Test
    void everyFieldOfAPaymentNotificationSurvivesARoundTrip() throws Exception {
        assertEveryFieldSurvives(PaymentNotificationSerializer.INSTANCE, PaymentNotification::new);
    }

    @Test
    void everyFieldOfAPaymentRowChangeSurvivesARoundTripWithBothImagesOrEitherMissing() throws Exception {
        RowChange<PaymentRow> both = filled(new RowChange<>(), 1);
        both.before = filled(new PaymentRow(), 20);
        both.after = filled(new PaymentRow(), 40);
        assertRoundTrip(PaymentChangeSerializer.INSTANCE, both);

        RowChange<PaymentRow> created = new RowChange<>(ChangeOp.CREATE, null, filled(new PaymentRow(), 60), 1, 2);
        assertRoundTrip(PaymentChangeSerializer.INSTANCE, created);
        RowChange<PaymentRow> deleted = new RowChange<>(ChangeOp.DELETE, filled(new PaymentRow(), 80), null, 3, 4);
        assertRoundTrip(PaymentChangeSerializer.INSTANCE, deleted);
        assertRoundTrip(PaymentChangeSerializer.INSTANCE, new RowChange<>());
    }

    @Test
    void copiesAreDeepAndEqual() {
        RowChange<PaymentRow> change =
                new RowChange<>(ChangeOp.UPDATE, filled(new PaymentRow(), 1), filled(new PaymentRow(), 2), 5, 6);
        RowChange<PaymentRow> copy = PaymentChangeSerializer.INSTANCE.copy(change);
        assertThat(copy).usingRecursiveComparison().isEqualTo(change);
        assertThat(copy.after).isNotSameAs(change.after);

        PaymentWatch watch = filled(new PaymentWatch(), 3);
        assertThat(PaymentWatchSerializer.INSTANCE.copy(watch))
                .usingRecursiveComparison()
                .isEqualTo(watch)
                .isNotSameAs(watch);
        PaymentNotification n = filled(new PaymentNotification(), 4);
        assertThat(PaymentNotificationSerializer.INSTANCE.copy(n))
                .usingRecursiveComparison()
                .isEqualTo(n)
                .isNotSameAs(n);
    }

    /** The serializers write enums as ordinals: a constant may only be appended (savepoints hold the ordinals). */
    @Test
    void theEnumsWrittenAsOrdinalsKeepTheirOrder() {
        assertThat(names(PaymentStatus.values())).containsExactly("CREATED", "PAYING", "SUCCESS", "FAILED", "CLOSED");
        assertThat(names(PaymentChannel.values())).containsExactly("WECHAT", "ALIPAY", "UNIONPAY");
        assertThat(names(PaymentPhase.values())).containsExactly("AWAITING_ROW", "REQUERYING", "REMEMBERED");
        assertThat(names(ChangeOp.values())).containsExactly("READ", "CREATE", "UPDATE", "DELETE");
    }

    @Test
    void stateWrittenByThePojoSerializerIsMigratedAndTheirOwnIsCompatibleAsIs() throws Exception {
        assertMigratesFromPojo(PaymentWatchSerializer.INSTANCE, PaymentWatch.class);
        assertMigratesFromPojo(PaymentNotificationSerializer.INSTANCE, PaymentNotification.class);
    }

    @Test
    void theTypeInformationGivesTheHandWrittenSerializer() {
        TypeInformation<PaymentNotification> info =
                new FlatTypeInfo<>(PaymentNotification.class, PaymentNotificationSerializer.INSTANCE);
        assertThat(info.createSerializer(new SerializerConfigImpl())).isSameAs(PaymentNotificationSerializer.INSTANCE);
        assertThat(info.getTypeClass()).isEqualTo(PaymentNotification.class);
        assertThat(info)
                .isEqualTo(new FlatTypeInfo<>(PaymentNotification.class, PaymentNotificationSerializer.INSTANCE));
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static <T> void assertMigratesFromPojo(TypeSerializer<T> serializer, Class<T> type) throws Exception {
        @SuppressWarnings("unchecked")
        TypeSerializerSnapshot<T> pojo = TypeInformation.of(type)
                .createSerializer(new SerializerConfigImpl())
                .snapshotConfiguration();
        TypeSerializerSnapshot<T> own = serializer.snapshotConfiguration();
        assertThat(own.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration())
                .as(type + " from POJO")
                .isTrue();

        // Its own snapshot, written into a savepoint and read back, restores the same serializer.
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, own);
        TypeSerializerSnapshot<T> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), FlatSerializersTest.class.getClassLoader());
        TypeSerializerSchemaCompatibility<T> compatibility = own.resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).as(type + " from its own").isTrue();
        assertThat(read.restoreSerializer()).isSameAs(serializer);
    }

    private static <T> void assertEveryFieldSurvives(TypeSerializer<T> serializer, Supplier<T> empty) throws Exception {
        assertRoundTrip(serializer, filled(empty.get(), 1));
        assertRoundTrip(serializer, filled(empty.get(), 1000));
        assertRoundTrip(serializer, empty.get()); // every reference field null, every number at its default
    }

    private static <T> void assertRoundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        byte[] bytes = out.getCopyOfBuffer();
        T back = serializer.deserialize(new DataInputDeserializer(bytes));
        assertThat(back).usingRecursiveComparison().isEqualTo(value);

        // copy(DataInputView, DataOutputView) gives the same bytes.
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(bytes), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes);
    }

    /** Sets every public instance field to a value other than its default, distinct per field (from {@code seed}). */
    private static <T> T filled(T value, int seed) {
        int n = seed;
        for (Field f : value.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            n++;
            try {
                Class<?> t = f.getType();
                if (t == long.class) {
                    f.setLong(value, 1_000_000_000_000L + n);
                } else if (t == int.class) {
                    f.setInt(value, n);
                } else if (t == boolean.class) {
                    f.setBoolean(value, true);
                } else if (t == String.class) {
                    f.set(value, "s" + n + "-支付");
                } else if (t.isEnum()) {
                    Object[] constants = t.getEnumConstants();
                    f.set(value, constants[n % constants.length]);
                } else if (t == Object.class) {
                    // RowChange's images: set by the caller
                } else {
                    throw new AssertionError("no test value for " + f + ": teach this test the type");
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return value;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
