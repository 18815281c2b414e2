package io.paystream.state.refunds;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.RefundRow;
import io.paystream.state.shop.RefundRowStatus;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The refund types kept in state or sent between operators are POJOs: no Kryo, fields can be added. */
class RefundTypesTest {

    @Test
    void theRefundWatchsStateAndMessagesArePojos() throws Exception {
        RefundWatch w = RefundWatch.awaitingRow(1_000L);
        w.paymentId = "P-1";
        w.channel = PaymentChannel.WECHAT;
        w.status = RefundRowStatus.REFUNDING;
        assertThat(roundTrip(TypeInformation.of(RefundWatch.class), w))
                .usingRecursiveComparison()
                .isEqualTo(w);

        PaymentRefunds p = new PaymentRefunds();
        p.paid = true;
        p.paidCents = 3_550;
        assertThat(roundTrip(TypeInformation.of(PaymentRefunds.class), p))
                .usingRecursiveComparison()
                .isEqualTo(p);

        RefundOutcome o = new RefundOutcome();
        o.outcomeId = RefundOutcome.outcomeId("R-1", RefundStatus.SUCCESS);
        o.amount = "10.00";
        assertThat(roundTrip(TypeInformation.of(RefundOutcome.class), o))
                .usingRecursiveComparison()
                .isEqualTo(o);
        assertThat(o.outcomeId).isEqualTo("R-1:SUCCESS");

        RefundRequeryCommand c = new RefundRequeryCommand();
        c.commandId = RefundRequeryCommand.commandId("R-1", 42L, 2);
        assertThat(roundTrip(TypeInformation.of(RefundRequeryCommand.class), c))
                .usingRecursiveComparison()
                .isEqualTo(c);
        assertThat(c.commandId).isEqualTo("R-1:42:2");
    }

    @Test
    void aRefundRowChangeIsAPojoAndRowsCompareByValue() throws Exception {
        RefundRow r = new RefundRow();
        r.refundId = "R-1";
        r.paymentId = "P-1";
        r.channel = PaymentChannel.ALIPAY;
        r.amountCents = 1_000;
        r.status = RefundRowStatus.SUCCESS;
        RowChange<RefundRow> change = new RowChange<>(ChangeOp.UPDATE, null, r, 5L, 7L);
        RowChange<RefundRow> back = roundTrip(TypeInformation.of(new TypeHint<RowChange<RefundRow>>() {}), change);
        assertThat(back.after).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(back.version).isEqualTo(7L);
        assertThat(r.toString()).contains("refundId=R-1", "status=SUCCESS");
    }

    private static <T> T roundTrip(TypeInformation<T> type, T value) throws Exception {
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // as every job runs: Kryo would throw here
        TypeSerializer<T> serializer = type.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
