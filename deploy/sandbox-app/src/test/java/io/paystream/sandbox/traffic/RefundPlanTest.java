package io.paystream.sandbox.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RefundPlanTest {
    @Test
    void neverRefundsMoreThanPaidAndEveryPartIsAtLeastOneFen() {
        Random r = new Random(7);
        Map<Integer, Integer> byParts = new HashMap<>();
        int partial = 0;
        for (int i = 0; i < 20_000; i++) {
            long paid = 1 + r.nextInt(i % 2 == 0 ? 5 : 500_000);
            RefundPlan plan = RefundPlan.draw(paid, r);
            assertThat(plan.partsCents()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(plan.partsCents()).allSatisfy(c -> assertThat(c).isPositive());
            assertThat(plan.totalCents()).as("plan %s of %d", plan, paid).isLessThanOrEqualTo(paid);
            byParts.merge(plan.partsCents().size(), 1, Integer::sum);
            if (plan.totalCents() < paid) {
                partial++;
            }
        }
        assertThat(byParts.get(1)).as("one part").isGreaterThan(14_000);
        assertThat(byParts.get(2)).as("two parts").isGreaterThan(3_000);
        assertThat(partial).as("partial refunds").isGreaterThan(5_000);
    }

    @Test
    void aOneFenPaymentIsRefundedWhole() {
        Random r = new Random(1);
        for (int i = 0; i < 100; i++) {
            assertThat(RefundPlan.draw(1, r).partsCents()).containsExactly(1L);
        }
        assertThatThrownBy(() -> RefundPlan.draw(0, r)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartLeavesSomethingWhenItCan() {
        Random r = new Random(3);
        for (int i = 0; i < 1000; i++) {
            long cents = 2 + r.nextInt(1000);
            assertThat(RefundPlan.part(cents, r)).isBetween(1L, cents - 1);
        }
        assertThat(RefundPlan.part(1, r)).isEqualTo(1);
    }

    @Test
    void channelsAnswerAsTheyCan() {
        assertThat(RefundPlan.channelOutcome("WECHAT", 0.0)).isEqualTo("SUCCESS");
        assertThat(RefundPlan.channelOutcome("WECHAT", 0.9)).isEqualTo("ABNORMAL");
        assertThat(RefundPlan.channelOutcome("WECHAT", 0.99)).isEqualTo("CLOSED");
        assertThat(RefundPlan.channelOutcome("UNIONPAY", 0.5)).isEqualTo("SUCCESS");
        assertThat(RefundPlan.channelOutcome("UNIONPAY", 0.95)).isEqualTo("FAILED");
        for (double roll = 0; roll < 1; roll += 0.01) {
            assertThat(RefundPlan.channelOutcome("ALIPAY", roll))
                    .as("Alipay notifies successful refunds only")
                    .isEqualTo("SUCCESS");
        }
    }
}
