package io.paystream.state.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.shop.PaymentChannel;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ReconcileTypesTest {
    private static final Class<?>[] TYPES = {
        BillLine.class,
        BillSummary.class,
        BillTally.class,
        RejectedBillLine.class,
        ShopSide.class,
        ReconcileFinding.class,
        SummaryMismatch.class,
        BillRecord.class,
        ReconcileKeyState.class
    };

    @Test
    void everyReconciliationTypeIsAPojoWithoutKryo() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        for (Class<?> type : TYPES) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            // createSerializer throws if any field would fall back to Kryo.
            assertThat(info.createSerializer(config)).as(type.getSimpleName()).isNotNull();
        }
    }

    @Test
    void aBillLineSurvivesSerialization() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<BillLine> serializer = TypeInformation.of(BillLine.class).createSerializer(config);
        BillLine line = new BillLine();
        line.channel = PaymentChannel.WECHAT;
        line.billDate = "2026-11-30";
        line.kind = BillLineKind.REFUND;
        line.paymentId = "P-1002";
        line.refundId = "R-2001";
        line.channelTxnId = "4200002166202611300000000002";
        line.amountFen = 10_000;
        line.settledFen = 10_000;
        line.tradeStatus = "REFUND/PROCESSING";
        line.outcome = BillOutcome.IN_PROGRESS;
        line.tradeTimeMs = 1_795_999_678_000L;
        line.sourceFile = "wechat-all-2026-11-30.csv";
        line.lineNumber = 5;

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(line, out);
        BillLine back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back).isEqualTo(line);
        assertThat(back.shopId()).isEqualTo("R-2001");
    }
}
