package io.paystream.state.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * A payment restored from a savepoint taken before {@link PaymentWatch#phase} existed has none:
 * its phase comes from the sentinels older versions kept.
 */
class PaymentWatchTest {

    @Test
    void aRestoredPaymentWithoutARowYetIsAwaitingItsRow() {
        PaymentWatch old = restored(-1, null, 0);
        assertThat(old.phase()).isEqualTo(PaymentPhase.AWAITING_ROW);
        assertThat(old.phase).as("derived once, then kept").isEqualTo(PaymentPhase.AWAITING_ROW);
    }

    @Test
    void aRestoredPayingPaymentWithAnAttemptPendingIsRequerying() {
        assertThat(restored(10, PaymentStatus.PAYING, 2).phase()).isEqualTo(PaymentPhase.REQUERYING);
        assertThat(restored(10, PaymentStatus.PAYING, 4).phase())
                .as("waiting for the last answer")
                .isEqualTo(PaymentPhase.REQUERYING);
    }

    @Test
    void aRestoredPaymentSettledAlertedOrNotPayingIsRemembered() {
        assertThat(restored(10, PaymentStatus.SUCCESS, 0).phase()).isEqualTo(PaymentPhase.REMEMBERED);
        assertThat(restored(10, PaymentStatus.PAYING, 0).phase())
                .as("alerted, or an outcome came before the row")
                .isEqualTo(PaymentPhase.REMEMBERED);
        assertThat(restored(10, PaymentStatus.CREATED, 0).phase()).isEqualTo(PaymentPhase.REMEMBERED);
    }

    @Test
    void aPhaseOnceSetIsNotDerivedAgain() {
        PaymentWatch w = restored(10, PaymentStatus.PAYING, 2);
        w.phase = PaymentPhase.REMEMBERED;
        assertThat(w.phase()).isEqualTo(PaymentPhase.REMEMBERED);
    }

    @Test
    void theWatchAsStoredIsSmallerThanThePojoItWasBeforeThePhaseIncluded() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeInformation<PaymentWatch> type = TypeInformation.of(PaymentWatch.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<PaymentWatch> pojo = type.createSerializer(config);
        PaymentWatch open = restored(10, PaymentStatus.PAYING, 1);
        open.orderId = 7;
        open.channel = PaymentChannel.WECHAT;
        open.amountCents = 8_800;
        open.payingSince = 1_795_820_818_447L;
        int pojoWithoutPhase = size(pojo, open);
        open.phase();
        int stored = size(io.paystream.state.serializers.PaymentWatchSerializer.INSTANCE, open);
        System.out.println("PaymentWatch serialized: " + stored + " bytes (the POJO serializer, before the phase: "
                + pojoWithoutPhase + ")");
        assertThat(stored).isEqualTo(64).isLessThan(pojoWithoutPhase);
    }

    private static int size(TypeSerializer<PaymentWatch> serializer, PaymentWatch w) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(w, out);
        return out.length();
    }

    /** A payment as older versions wrote it: no phase, the sentinels say it all. */
    private static PaymentWatch restored(long version, PaymentStatus status, int nextAttempt) {
        PaymentWatch w = new PaymentWatch();
        w.version = version;
        w.status = status;
        w.nextAttempt = nextAttempt;
        return w;
    }
}
