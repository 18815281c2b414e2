package io.paystream.state.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class OrderDocumentTypesTest {

    @Test
    void aDocumentWriteWithItsArraysSerializesWithGenericTypesDisabled() throws Exception {
        TypeInformation<OrderDocumentWrite> type = TypeInformation.of(OrderDocumentWrite.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<OrderDocumentWrite> serializer = type.createSerializer(config);

        OrderDocument d = new OrderDocument();
        d.orderId = 7;
        d.status = "PAID";
        d.items = new OrderDocument.Item[] {new OrderDocument.Item()};
        d.items[0].itemId = 1;
        d.items[0].unitPrice = "12.50";
        d.payments = new OrderDocument.Payment[] {new OrderDocument.Payment()};
        d.payments[0].paymentId = "P7";
        d.paidAt = 1_800_000_000_000L;
        OrderDocumentWrite w = OrderDocumentWrite.upsert(d, 99, 5);

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(w, out);
        OrderDocumentWrite back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.document).isEqualTo(d);
        assertThat(back.version).isEqualTo(99);
        assertThat(OrderDocumentWrite.delete(7, 100, 5).isDelete()).isTrue();
    }

    @Test
    void theJoinStateSerializesWithGenericTypesDisabled() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<OrderDocumentState> serializer =
                TypeInformation.of(OrderDocumentState.class).createSerializer(config);
        OrderDocumentState s = new OrderDocumentState();
        s.order = new OrderRow();
        s.order.orderId = 7;
        s.order.status = OrderStatus.CREATED;
        s.version = 12;
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(s, out);
        OrderDocumentState back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.order).isEqualTo(s.order);
        assertThat(back.version).isEqualTo(12);
        assertThat(back.orderVersion).isEqualTo(-1);
    }
}
