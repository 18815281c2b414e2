package io.paystream.sandbox.traffic;

/**
 * What a simulated channel knows of one payment at the end of a run: the ground truth paystream's
 * outputs are checked against.
 *
 * @param outcome {@code SUCCESS}, {@code FAILED}, {@code CLOSED} or {@code NOTPAY} (never settled)
 * @param everFailed the channel failed it at least once (a retry may have paid it since)
 * @param history what the simulated channel, payment center and shop did with it, in order
 */
public record ChannelTruth(
        String paymentId,
        long orderId,
        String channel,
        long amountCents,
        String outcome,
        boolean everFailed,
        java.util.List<String> history) {}
