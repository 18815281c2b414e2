package io.paystream.state.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.shop.OrderStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * An order restored from a savepoint taken before {@link OrderPaymentWatch#phase} existed has
 * none: its phase comes from the {@code nextAttempt} sentinel older versions kept.
 */
class OrderPaymentWatchTest {

    @Test
    void aRestoredOrderWithASuccessfulPaymentAndAnAttemptPendingIsRenotifying() {
        OrderPaymentWatch w = restored("P1", OrderStatus.CREATED, 2);
        assertThat(w.phase()).isEqualTo(OrderPaymentPhase.RENOTIFYING);
        assertThat(w.phase).as("derived once, then kept").isEqualTo(OrderPaymentPhase.RENOTIFYING);
        assertThat(restored("P1", OrderStatus.CREATED, 4).phase())
                .as("waiting before the alert")
                .isEqualTo(OrderPaymentPhase.RENOTIFYING);
    }

    @Test
    void aRestoredPaidOrAlertedOrderIsRemembered() {
        assertThat(restored(null, OrderStatus.PAID, 0).phase()).isEqualTo(OrderPaymentPhase.REMEMBERED);
        assertThat(restored("P1", OrderStatus.PAID, 0).phase()).isEqualTo(OrderPaymentPhase.REMEMBERED);
        assertThat(restored("P1", OrderStatus.CREATED, 0).phase())
                .as("alerted")
                .isEqualTo(OrderPaymentPhase.REMEMBERED);
    }

    @Test
    void aPhaseOnceSetIsNotDerivedAgain() {
        OrderPaymentWatch w = restored("P1", OrderStatus.CREATED, 2);
        w.phase = OrderPaymentPhase.REMEMBERED;
        assertThat(w.phase()).isEqualTo(OrderPaymentPhase.REMEMBERED);
    }

    @Test
    void theWatchStaysAFlinkPojo() {
        assertThat(TypeInformation.of(OrderPaymentWatch.class)).isInstanceOf(PojoTypeInfo.class);
    }

    /** An order as older versions wrote it: no phase, the sentinel says it all. */
    private static OrderPaymentWatch restored(String paymentId, OrderStatus status, int nextAttempt) {
        OrderPaymentWatch w = new OrderPaymentWatch();
        w.orderStatus = status;
        w.orderVersion = 9;
        w.paymentId = paymentId;
        w.nextAttempt = nextAttempt;
        return w;
    }
}
