package io.paystream.functions.refunds;

import io.paystream.state.refunds.RefundStatus;

/**
 * The outcomes already published for a refund, one bit per {@code RefundStatus} ordinal (as
 * {@code RefundWatch.publishedOutcomes} keeps them): each outcome is published at most once.
 */
final class RefundOutcomes {
    private RefundOutcomes() {}

    /**
     * SUCCESS and CLOSED are final: the money went back, or the refund was closed and will not
     * happen; nothing after either is a new fact (a late copy of an earlier answer). FAILED (WeChat
     * Pay's ABNORMAL: the money could not go back the original way) is not final: the merchant may
     * still send it elsewhere, so SUCCESS or CLOSED after FAILED are new facts. Anything published
     * already is a resend.
     */
    static boolean isNewFact(int published, RefundStatus status) {
        return (published & bit(status)) == 0 && !isFinal(published);
    }

    /** A SUCCESS or CLOSED was published: the refund is over, whatever the row still says. */
    static boolean isFinal(int published) {
        return (published & (bit(RefundStatus.SUCCESS) | bit(RefundStatus.CLOSED))) != 0;
    }

    static boolean isFinal(RefundStatus status) {
        return status == RefundStatus.SUCCESS || status == RefundStatus.CLOSED;
    }

    static int with(int published, RefundStatus status) {
        return published | bit(status);
    }

    private static int bit(RefundStatus status) {
        return 1 << status.ordinal();
    }
}
