package io.paystream.sandbox.traffic;

import java.time.Duration;

/** How the simulated shop behaves. Probabilities are per order or per payment. */
public final class TrafficConfig {
    /** Orders per second. */
    public double rate = 20;

    public long seed = 42;
    /** How much faster than real time channels resend (WeChat's 24 h schedule takes 24 min at 60). */
    public double speed = 60;

    public int skus = 40;
    public int users = 2000;

    /**
     * Orders submitted twice: half a double click (moments later: it usually reaches the database
     * before the ledger publishes the first one's submission key, and the ledger cancels it), half a
     * resubmission seconds later (the front end finds the key and refuses it).
     */
    public double duplicateSubmission = 0.03;
    /**
     * Shoppers whose orders skip the front end's Redis checks (a race, a stale read, a client that
     * talks to the order API directly): the ledger's oversell and duplicate alerts still have work.
     */
    public double bypassChecks = 0.05;
    /**
     * How far behind the database the front end assumes {@code stock:{sku}} may be: its own orders
     * created later than the hash's {@code updatedAt} minus this are subtracted from {@code available}.
     */
    public Duration stockLagMargin = Duration.ofSeconds(10);

    public double overLimit = 0.02;
    public double neverPay = 0.06;
    public double paymentFails = 0.04;
    public double abandons = 0.05;
    public double retryAfterFailure = 0.5;
    public double callbackLost = 0.06;
    public double resends = 0.3;
    public double forgedCallback = 0.02;
    public double amountMismatch = 0.01;
    public double paymentCenterMiss = 0.04;
    public double businessMiss = 0.04;
    public double forgedQueryAnswer = 0.01;
    /** Paid payments the shop refunds (whole, in part, or in two parts; never more than paid). */
    public double refunds = 0.05;
    /** Refund notifications lost on their way (no resend): re-queried, then LOST_REFUND. */
    public double refundNotificationLost = 0.1;
    /**
     * The payment center closes a payment the user abandoned (still PAYING, the channel knows no
     * payment) this long after it started; before paystream's default alert at 40 s.
     */
    public Duration closeUnpaidAfter = Duration.ofSeconds(25);

    /** WeChat's notification resend schedule (gaps after the first notification): about 24 h 4 min. */
    public static final long[] WECHAT_RESEND_GAPS_SECONDS = {
        15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600
    };
}
