package io.paystream.sandbox.traffic;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How the simulated shop refunds one paid payment: in one or two parts, the whole payment or part
 * of it, never more than was paid in all (an over-refund would be a REFUND_EXCEEDS_PAYMENT alert
 * the sandbox does not mean to inject); and what a channel answers a refund.
 *
 * @param partsCents each refund's amount in fen, in the order the shop asks for them; each at least
 *     one fen, together at most the payment
 */
public record RefundPlan(List<Long> partsCents) {
    public RefundPlan {
        partsCents = List.copyOf(partsCents);
    }

    /**
     * Draws a plan for a payment of {@code paidCents}: half refund it whole, three in ten in part,
     * two in ten in two parts (the second the rest or a part of it).
     */
    public static RefundPlan draw(long paidCents, RandomGenerator r) {
        if (paidCents < 1) {
            throw new IllegalArgumentException("nothing paid to refund: " + paidCents);
        }
        double roll = r.nextDouble();
        if (roll < 0.5 || paidCents == 1) {
            return new RefundPlan(List.of(paidCents));
        }
        if (roll < 0.8) {
            return new RefundPlan(List.of(part(paidCents, r)));
        }
        long first = part(paidCents, r);
        long rest = paidCents - first;
        long second = r.nextBoolean() ? rest : part(rest, r);
        return new RefundPlan(List.of(first, second));
    }

    /** Between a tenth and nine tenths of {@code cents}, at least one fen, less than all when possible. */
    static long part(long cents, RandomGenerator r) {
        if (cents <= 1) {
            return cents;
        }
        long cut = Math.round(cents * (0.1 + 0.8 * r.nextDouble()));
        return Math.max(1, Math.min(cents - 1, cut));
    }

    public long totalCents() {
        return partsCents.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * What {@code channel} answers a refund, from a roll in [0, 1): WeChat Pay mostly {@code
     * SUCCESS}, some {@code ABNORMAL} (the money could not go back) or {@code CLOSED}; UnionPay
     * mostly {@code SUCCESS}, some {@code FAILED}; Alipay {@code SUCCESS} (it notifies no other).
     */
    public static String channelOutcome(String channel, double roll) {
        switch (channel) {
            case "WECHAT":
                return roll < 0.86 ? "SUCCESS" : roll < 0.93 ? "ABNORMAL" : "CLOSED";
            case "UNIONPAY":
                return roll < 0.92 ? "SUCCESS" : "FAILED";
            default:
                return "SUCCESS";
        }
    }
}
