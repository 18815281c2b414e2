package io.paystream.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ShopTypesTest {

    @Test
    void theShopsChangesHaveHandWrittenSerializersAndTheRestArePojosSoStateCanEvolve() {
        for (TypeInformation<?> type : new TypeInformation<?>[] {ShopTypes.DEAD_LETTER, ShopTypes.KAFKA_RECORD}) {
            assertThat(type).as(type.toString()).isInstanceOf(PojoTypeInfo.class);
        }
        SerializerConfigImpl config = new SerializerConfigImpl();
        assertThat(ShopTypes.SHOP_CHANGE.createSerializer(config))
                .isSameAs(io.paystream.state.serializers.ShopChangeSerializer.INSTANCE);
        for (TypeInformation<?> type : new TypeInformation<?>[] {
            ShopTypes.ORDER_CHANGE,
            ShopTypes.ITEM_CHANGE,
            ShopTypes.PAYMENT_CHANGE,
            ShopTypes.INVENTORY_CHANGE,
            ShopTypes.REFUND_CHANGE
        }) {
            assertThat(type.createSerializer(config))
                    .as(type.toString())
                    .isInstanceOf(io.paystream.state.serializers.RowChangeSerializer.class);
        }
        assertThat(ShopTypes.PAYMENT_NOTIFICATION.createSerializer(config))
                .isSameAs(io.paystream.state.serializers.PaymentNotificationSerializer.INSTANCE);
    }

    @Test
    void shopChangeSerializesWithGenericTypesDisabled() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        // createSerializer throws if any field of the envelope would fall back to Kryo.
        TypeSerializer<ShopChange> serializer = ShopTypes.SHOP_CHANGE.createSerializer(config);

        PaymentRow after = new PaymentRow();
        after.paymentId = "P-1";
        after.orderId = 7;
        after.channel = PaymentChannel.ALIPAY;
        after.amountCents = 12_345;
        after.status = PaymentStatus.PAYING;
        after.updatedAtMs = 1_700_000_000_123L;
        ShopChange change = ShopChange.ofPayment(new RowChange<>(ChangeOp.CREATE, null, after, 1L, 99L));

        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(change, out);
        ShopChange back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back.payment.after).isEqualTo(after);
        assertThat(back.payment.version).isEqualTo(99L);
        assertThat(back.order).isNull();
        assertThat(back.deadLetter).isNull();
    }
}
