package io.paystream.state;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.serializers.FlatTypeInfo;
import io.paystream.state.serializers.PaymentNotificationSerializer;
import io.paystream.state.serializers.RowChangeSerializer;
import io.paystream.state.serializers.ShopChangeSerializer;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Type information of every event type, declared once. The shop's changes and the verified payment
 * notifications, which every job passes between its operators for every row, have hand-written
 * serializers ({@link io.paystream.state.serializers.FlatSerializer}: versioned, POJO state of older
 * savepoints migrated); the rest are POJO types: Flink's PojoSerializer restores state after a field
 * is added, which Kryo (disabled in every job) does not.
 */
public final class ShopTypes {
    public static final TypeInformation<ShopChange> SHOP_CHANGE =
            new FlatTypeInfo<>(ShopChange.class, ShopChangeSerializer.INSTANCE);
    public static final TypeInformation<RowChange<OrderRow>> ORDER_CHANGE =
            changes(RowChangeSerializer.OrderChanges.INSTANCE);
    public static final TypeInformation<RowChange<OrderItemRow>> ITEM_CHANGE =
            changes(RowChangeSerializer.ItemChanges.INSTANCE);
    public static final TypeInformation<RowChange<PaymentRow>> PAYMENT_CHANGE =
            changes(RowChangeSerializer.PaymentChanges.INSTANCE);
    public static final TypeInformation<PaymentNotification> PAYMENT_NOTIFICATION =
            new FlatTypeInfo<>(PaymentNotification.class, PaymentNotificationSerializer.INSTANCE);
    public static final TypeInformation<RowChange<InventoryRow>> INVENTORY_CHANGE =
            changes(RowChangeSerializer.InventoryChanges.INSTANCE);
    public static final TypeInformation<RowChange<RefundRow>> REFUND_CHANGE =
            changes(RowChangeSerializer.RefundChanges.INSTANCE);
    public static final TypeInformation<DeadLetter> DEAD_LETTER = TypeInformation.of(DeadLetter.class);
    public static final TypeInformation<KafkaRecord> KAFKA_RECORD = TypeInformation.of(KafkaRecord.class);

    private ShopTypes() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <R> TypeInformation<RowChange<R>> changes(RowChangeSerializer<R> serializer) {
        return new FlatTypeInfo<RowChange<R>>((Class) RowChange.class, serializer);
    }
}
