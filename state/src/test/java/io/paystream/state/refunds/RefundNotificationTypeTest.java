package io.paystream.state.refunds;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.shop.PaymentChannel;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RefundNotificationTypeTest {

    @Test
    void isAPojoThatKeepsAmountsTheChannelDidNotStateAsNull() throws Exception {
        TypeInformation<RefundNotification> type = TypeInformation.of(RefundNotification.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<RefundNotification> serializer = type.createSerializer(config);

        RefundNotification n = new RefundNotification();
        n.refundId = "R-1";
        n.paymentId = "P-1";
        n.channel = PaymentChannel.ALIPAY;
        n.paymentTotalCents = 10_000L;
        n.refundedTotalCents = 2_550L;
        n.status = RefundStatus.SUCCESS;
        n.refundedAt = 1_795_811_664_210L;
        n.source = RefundNotification.CALLBACK;
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(n, out);
        RefundNotification back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back).usingRecursiveComparison().isEqualTo(n);
        assertThat(back.refundAmountCents).isNull();
    }
}
