package io.paystream.state;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.serializers.FlatTypeInfo;
import io.paystream.state.serializers.PaymentChangeSerializer;
import io.paystream.state.serializers.PaymentNotificationSerializer;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Type information of every event type, declared once. Most are POJO types: Flink's PojoSerializer
 * restores state after a field is added, which Kryo (disabled in every job) does not. The hottest
 * ones (a payment row's change, a verified payment notification: every payment event of the
 * payments job crosses the network as one of them) have hand-written serializers instead
 * ({@link io.paystream.state.serializers.FlatSerializer}).
 */
public final class ShopTypes {
    public static final TypeInformation<ShopChange> SHOP_CHANGE = TypeInformation.of(ShopChange.class);
    public static final TypeInformation<RowChange<OrderRow>> ORDER_CHANGE =
            TypeInformation.of(new TypeHint<RowChange<OrderRow>>() {});
    public static final TypeInformation<RowChange<OrderItemRow>> ITEM_CHANGE =
            TypeInformation.of(new TypeHint<RowChange<OrderItemRow>>() {});

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final TypeInformation<RowChange<PaymentRow>> PAYMENT_CHANGE =
            new FlatTypeInfo<RowChange<PaymentRow>>((Class) RowChange.class, PaymentChangeSerializer.INSTANCE);

    public static final TypeInformation<PaymentNotification> PAYMENT_NOTIFICATION =
            new FlatTypeInfo<>(PaymentNotification.class, PaymentNotificationSerializer.INSTANCE);
    public static final TypeInformation<RowChange<InventoryRow>> INVENTORY_CHANGE =
            TypeInformation.of(new TypeHint<RowChange<InventoryRow>>() {});
    public static final TypeInformation<RowChange<RefundRow>> REFUND_CHANGE =
            TypeInformation.of(new TypeHint<RowChange<RefundRow>>() {});
    public static final TypeInformation<DeadLetter> DEAD_LETTER = TypeInformation.of(DeadLetter.class);
    public static final TypeInformation<KafkaRecord> KAFKA_RECORD = TypeInformation.of(KafkaRecord.class);

    private ShopTypes() {}
}
