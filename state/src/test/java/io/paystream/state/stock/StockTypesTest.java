package io.paystream.state.stock;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class StockTypesTest {

    @Test
    void everyStockStateAndEventTypeIsAPojoWithoutKryo() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        for (Class<?> c : new Class<?>[] {
            StockHolding.class,
            OrderStockState.class,
            OrderLine.class,
            SkuLedger.class,
            SkuHolding.class,
            UserHold.class,
            StockLevel.class,
            SubmitKey.class,
            SubmitMark.class,
            AccountOrder.class,
            RiskOrder.class,
            RiskWindow.class
        }) {
            TypeInformation<?> type = TypeInformation.of(c);
            assertThat(type).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            type.createSerializer(config); // throws if a field would fall back to Kryo
        }
    }

    @Test
    void aUserHoldKeepsItsOrdersThroughSerialization() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<UserHold> serializer = TypeInformation.of(UserHold.class).createSerializer(config);
        UserHold hold = new UserHold();
        hold.units = 5;
        hold.orderIds = new long[] {7, 8};
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(hold, out);
        UserHold back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.units).isEqualTo(5);
        assertThat(back.orderIds).containsExactly(7, 8);
    }
}
