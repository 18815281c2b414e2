package io.paystream.state.serializers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentPhase;
import io.paystream.state.payments.PaymentWatch;
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
import org.apache.flink.types.StringValue;
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
    void everyFieldOfTheStockLedgersRecordsAndStatesSurvivesARoundTrip() throws Exception {
        assertEveryFieldSurvives(StockSerializers.AccountOrderSerializer.INSTANCE, AccountOrder::new);
        assertEveryFieldSurvives(StockSerializers.StockHoldingSerializer.INSTANCE, StockHolding::new);
        assertEveryFieldSurvives(StockSerializers.OrderStockStateSerializer.INSTANCE, OrderStockState::new);
        assertEveryFieldSurvives(StockSerializers.SkuLedgerSerializer.INSTANCE, SkuLedger::new);
        assertMigratesFromPojo(StockSerializers.OrderStockStateSerializer.INSTANCE, OrderStockState.class);
        assertMigratesFromPojo(StockSerializers.SkuLedgerSerializer.INSTANCE, SkuLedger.class);
    }

    /**
     * The order stage's state of 2026-12-02 (format 1, its lines in a map state of their own) is
     * read by the format-1 serializer its snapshot names and migrated: its lines come back null,
     * which tells the stage to move them in from the map state. A new order's state keeps no lines
     * and lines not moved yet apart.
     */
    @Test
    void anOrderStateWithoutLinesFromFormat1MigratesAndKeepsItsLinesMissing() throws Exception {
        OrderStockState old = filled(new OrderStockState(), 7);
        DataOutputSerializer out = new DataOutputSerializer(64);
        StockSerializers.OrderStockStateFormat1.INSTANCE.serialize(old, out);
        TypeSerializerSnapshot<OrderStockState> format1 =
                StockSerializers.OrderStockStateFormat1.INSTANCE.snapshotConfiguration();
        assertThat(format1).isInstanceOf(StockSerializers.OrderStockStateSerializer.OrderStockStateSnapshot.class);
        assertThat(format1.restoreSerializer()).isSameAs(StockSerializers.OrderStockStateFormat1.INSTANCE);
        assertThat(StockSerializers.OrderStockStateSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(format1)
                        .isCompatibleAfterMigration())
                .isTrue();

        OrderStockState back =
                format1.restoreSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.lines).isNull();
        old.lines = null;
        assertThat(back).usingRecursiveComparison().isEqualTo(old);
        assertRoundTrip(StockSerializers.OrderStockStateSerializer.INSTANCE, back); // lines still to move

        OrderStockState none = new OrderStockState();
        none.lines = OrderLine.NONE;
        assertRoundTrip(StockSerializers.OrderStockStateSerializer.INSTANCE, none);
        OrderStockState withLines = filled(new OrderStockState(), 9);
        OrderStockState copy = StockSerializers.OrderStockStateSerializer.INSTANCE.copy(withLines);
        assertThat(copy).usingRecursiveComparison().isEqualTo(withLines);
        assertThat(copy.lines[0]).isNotSameAs(withLines.lines[0]);
    }

    @Test
    void everyFieldOfTheStockStagesOtherStateValuesSurvivesARoundTripAndMigratesFromPojo() throws Exception {
        assertEveryFieldSurvives(StockSerializers.OrderLineSerializer.INSTANCE, OrderLine::new);
        assertEveryFieldSurvives(StockSerializers.SkuHoldingSerializer.INSTANCE, SkuHolding::new);
        assertEveryFieldSurvives(StockSerializers.UserHoldSerializer.INSTANCE, UserHold::new);
        assertEveryFieldSurvives(StockSerializers.RiskOrderSerializer.INSTANCE, RiskOrder::new);
        assertEveryFieldSurvives(StockSerializers.RiskWindowSerializer.INSTANCE, RiskWindow::new);
        assertEveryFieldSurvives(StockSerializers.SubmitMarkSerializer.INSTANCE, SubmitMark::new);
        UserHold noOrders = new UserHold();
        noOrders.orderIds = null;
        assertRoundTrip(StockSerializers.UserHoldSerializer.INSTANCE, noOrders);
        UserHold held = filled(new UserHold(), 5);
        assertThat(StockSerializers.UserHoldSerializer.INSTANCE.copy(held).orderIds)
                .isEqualTo(held.orderIds)
                .isNotSameAs(held.orderIds);
        assertMigratesFromPojo(StockSerializers.OrderLineSerializer.INSTANCE, OrderLine.class);
        assertMigratesFromPojo(StockSerializers.SkuHoldingSerializer.INSTANCE, SkuHolding.class);
        assertMigratesFromPojo(StockSerializers.UserHoldSerializer.INSTANCE, UserHold.class);
        assertMigratesFromPojo(StockSerializers.RiskOrderSerializer.INSTANCE, RiskOrder.class);
        assertMigratesFromPojo(StockSerializers.RiskWindowSerializer.INSTANCE, RiskWindow.class);
        assertMigratesFromPojo(StockSerializers.SubmitMarkSerializer.INSTANCE, SubmitMark.class);
        assertThat(names(HoldingPhase.values())).containsExactly("OPEN", "PAID", "RELEASED", "RETIRED");
        assertThat(names(OrderPhase.values()))
                .containsExactly("AWAITING_ORDER_ROW", "EXPIRY_PENDING", "MODES_PENDING", "EXPIRED", "NO_EXPIRY");
    }

    @Test
    void everyFieldOfEachTablesChangeSurvivesARoundTripWithBothImagesOrEitherMissing() throws Exception {
        assertChangesSurvive(RowChangeSerializer.OrderChanges.INSTANCE, OrderRow::new);
        assertChangesSurvive(RowChangeSerializer.ItemChanges.INSTANCE, OrderItemRow::new);
        assertChangesSurvive(RowChangeSerializer.PaymentChanges.INSTANCE, PaymentRow::new);
        assertChangesSurvive(RowChangeSerializer.InventoryChanges.INSTANCE, InventoryRow::new);
        assertChangesSurvive(RowChangeSerializer.RefundChanges.INSTANCE, RefundRow::new);
    }

    @Test
    void aShopChangeSurvivesWithEachBodyAndAsTheEndOfASnapshot() throws Exception {
        ShopChangeSerializer s = ShopChangeSerializer.INSTANCE;
        assertRoundTrip(s, ShopChange.ofOrder(change(OrderRow::new, 1)));
        assertRoundTrip(s, ShopChange.ofItem(change(OrderItemRow::new, 2)));
        assertRoundTrip(s, ShopChange.ofPayment(change(PaymentRow::new, 3)));
        assertRoundTrip(s, ShopChange.ofInventory(change(InventoryRow::new, 4)));
        assertRoundTrip(s, ShopChange.ofRefund(change(RefundRow::new, 5)));
        assertRoundTrip(s, ShopChange.ofDeadLetter(ShopTable.PAYMENTS, filled(new DeadLetter(), 6)));
        assertRoundTrip(s, ShopChange.ofSnapshotEnded("mall-2"));
        assertRoundTrip(s, new ShopChange());
        // Every field of the envelope is one of those above (a new body fails here until written).
        assertThat(Arrays.stream(ShopChange.class.getFields())
                        .filter(f -> !Modifier.isStatic(f.getModifiers()))
                        .map(Field::getName))
                .containsExactlyInAnyOrder(
                        "table", "order", "item", "payment", "inventory", "refund", "deadLetter", "snapshotEndedOn");
    }

    @Test
    void aShopChangeWithTwoBodiesIsRefused() {
        ShopChange two = ShopChange.ofOrder(change(OrderRow::new, 1));
        two.payment = change(PaymentRow::new, 2);
        assertThatThrownBy(() -> ShopChangeSerializer.INSTANCE.serialize(two, new DataOutputSerializer(64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one body at most");
    }

    @Test
    void anOrdersExtraColumnsSurviveIncludingAnEmptyListAndAMissingOne() throws Exception {
        OrderRow row = filled(new OrderRow(), 1);
        row.extra = new ExtraColumn[] {new ExtraColumn("channel_code", "wx"), null, new ExtraColumn("note", null)};
        assertRoundTrip(RowChangeSerializer.OrderChanges.INSTANCE, new RowChange<>(ChangeOp.CREATE, null, row, 1, 2));
        row.extra = new ExtraColumn[0];
        assertRoundTrip(RowChangeSerializer.OrderChanges.INSTANCE, new RowChange<>(ChangeOp.CREATE, null, row, 1, 2));
    }

    @Test
    void copiesAreDeepAndEqual() {
        RowChange<PaymentRow> change = change(PaymentRow::new, 1);
        RowChange<PaymentRow> copy = RowChangeSerializer.PaymentChanges.INSTANCE.copy(change);
        assertThat(copy).usingRecursiveComparison().isEqualTo(change);
        assertThat(copy.after).isNotSameAs(change.after);
        ShopChange shop = ShopChange.ofOrder(change(OrderRow::new, 2));
        ShopChange shopCopy = ShopChangeSerializer.INSTANCE.copy(shop);
        assertThat(shopCopy).usingRecursiveComparison().isEqualTo(shop);
        assertThat(shopCopy.order.after.extra).isNotSameAs(shop.order.after.extra);

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
        assertThat(names(ShopTable.values()))
                .containsExactly("ORDERS", "ORDER_ITEMS", "PAYMENTS", "INVENTORY", "REFUNDS");
        assertThat(names(OrderStatus.values())).containsExactly("CREATED", "PAID", "CANCELLED", "CLOSED");
        assertThat(names(DeductMode.values())).containsExactly("ORDER", "PAYMENT");
        assertThat(names(RefundRowStatus.values()))
                .containsExactly("CREATED", "REFUNDING", "SUCCESS", "FAILED", "CLOSED");
        assertThat(names(HoldingPhase.values())).containsExactly("OPEN", "PAID", "RELEASED", "RETIRED");
        assertThat(names(OrderPhase.values()))
                .containsExactly("AWAITING_ORDER_ROW", "EXPIRY_PENDING", "MODES_PENDING", "EXPIRED", "NO_EXPIRY");
    }

    @Test
    void stateWrittenByThePojoSerializerIsMigratedAndTheirOwnIsCompatibleAsIs() throws Exception {
        assertMigratesFromPojo(PaymentWatchSerializer.INSTANCE, PaymentWatch.class);
        assertMigratesFromPojo(PaymentNotificationSerializer.INSTANCE, PaymentNotification.class);
        assertMigratesFromPojo(ShopChangeSerializer.INSTANCE, ShopChange.class); // kept by OrderReferences
    }

    /** readString reads Flink's own string format (savepoints and network buffers hold it) without its thread-local buffer. */
    @Test
    void stringsReadBackExactlyAsFlinksStringValueWroteThem() throws Exception {
        StringBuilder longLatin = new StringBuilder();
        StringBuilder longWide = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            longLatin.append((char) ('a' + i % 26));
            longWide.append(i % 3 == 0 ? '支' : (char) ('0' + i % 10));
        }
        List<String> samples = Arrays.asList(
                null,
                "",
                "a",
                "10.0.0.2",
                "\u007f\u0080\u00ff", // the last one-byte char, the first two-byte ones, the last Latin-1
                "ü-é-ß",
                "支付成功",
                "ab支",
                "支ab",
                "emoji \ud83d\udcb3 card",
                "\uffff\u0100\u3fff\u4000",
                longLatin.toString(),
                longWide.toString());
        for (String s : samples) {
            DataOutputSerializer out = new DataOutputSerializer(16);
            StringValue.writeString(s, out);
            out.writeInt(0x5EA1ED); // what follows is left where it was
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            assertThat(FlatSerializer.readString(in)).isEqualTo(s);
            assertThat(in.readInt()).isEqualTo(0x5EA1ED);
        }
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

    private static <R> void assertChangesSurvive(RowChangeSerializer<R> serializer, Supplier<R> row) throws Exception {
        RowChange<R> both = filled(new RowChange<>(), 1);
        both.before = filled(row.get(), 20);
        both.after = filled(row.get(), 40);
        assertRoundTrip(serializer, both);
        assertRoundTrip(serializer, new RowChange<>(ChangeOp.CREATE, null, filled(row.get(), 60), 1, 2));
        assertRoundTrip(serializer, new RowChange<>(ChangeOp.DELETE, filled(row.get(), 80), null, 3, 4));
        assertRoundTrip(serializer, new RowChange<>(ChangeOp.UPDATE, row.get(), row.get(), 5, 6)); // fields null
        assertRoundTrip(serializer, new RowChange<>());
    }

    private static <R> RowChange<R> change(Supplier<R> row, int seed) {
        return new RowChange<>(ChangeOp.UPDATE, filled(row.get(), seed), filled(row.get(), seed + 50), seed, seed + 1);
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
                } else if (t == OrderLine[].class) {
                    f.set(value, new OrderLine[] {filled(new OrderLine(), n * 10), filled(new OrderLine(), n * 20)});
                } else if (t == long[].class) {
                    f.set(value, new long[] {n, n + 1L, 1_000_000_000_000L + n});
                } else if (t == Integer.class) {
                    f.set(value, n);
                } else if (t == ExtraColumn[].class) {
                    f.set(value, new ExtraColumn[] {new ExtraColumn("e" + n, "v" + n), new ExtraColumn("f" + n, null)});
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
