package io.paystream.functions.payments;

import io.paystream.state.shop.PaymentStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcomes already published for a payment, one bit per {@code PaymentStatus} ordinal (as
 * {@code PaymentWatch.publishedOutcomes} keeps them): each outcome is published at most once.
 */
public final class PublishedOutcomes {
    private PublishedOutcomes() {}

    /**
     * A FAILED after SUCCESS or CLOSED can only be a late copy of an earlier attempt's failure;
     * SUCCESS after FAILED (a retry that paid) and CLOSED after SUCCESS (closed or refunded) are
     * new facts. Anything published already is a resend.
     */
    static boolean isNewFact(int published, PaymentStatus status) {
        if ((published & bit(status)) != 0) {
            return false;
        }
        if (status == PaymentStatus.FAILED) {
            return (published & (bit(PaymentStatus.SUCCESS) | bit(PaymentStatus.CLOSED))) == 0;
        }
        return true;
    }

    static int with(int published, PaymentStatus status) {
        return published | bit(status);
    }

    /** The published outcomes as text, e.g. {@code FAILED+SUCCESS}, or {@code nothing}. */
    public static String describe(int published) {
        List<String> s = new ArrayList<>();
        for (PaymentStatus st : PaymentStatus.values()) {
            if ((published & bit(st)) != 0) {
                s.add(st.name());
            }
        }
        return s.isEmpty() ? "nothing" : String.join("+", s);
    }

    private static int bit(PaymentStatus status) {
        return 1 << status.ordinal();
    }
}
