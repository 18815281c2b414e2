package io.paystream.sandbox.traffic;

import java.util.concurrent.atomic.AtomicLong;

/** What the simulated shop and channels did, for the status line. */
public final class TrafficStats {
    public final AtomicLong orders = new AtomicLong();
    /** Repeat submissions attempted (created or refused). */
    public final AtomicLong duplicateSubmissions = new AtomicLong();
    /** Orders the front end refused: a deduct-on-order SKU without the units in {@code stock:{sku}}. */
    public final AtomicLong refusedOutOfStock = new AtomicLong();
    /** Orders the front end refused: {@code order:submit:{hash}} exists. */
    public final AtomicLong refusedDuplicate = new AtomicLong();
    /** Orders the front end refused: Redis did not answer or had no {@code stock:{sku}} for a deduct-on-order SKU. */
    public final AtomicLong refusedStockUnknown = new AtomicLong();
    /** Order submissions that skipped the front end's checks ({@code traffic.bypassChecks}). */
    public final AtomicLong bypassedChecks = new AtomicLong();

    public final AtomicLong limitAbuse = new AtomicLong();
    public final AtomicLong unpaidOrders = new AtomicLong();
    public final AtomicLong payments = new AtomicLong();
    public final AtomicLong paid = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();
    public final AtomicLong abandoned = new AtomicLong();
    public final AtomicLong callbacks = new AtomicLong();
    public final AtomicLong resends = new AtomicLong();
    /** Notifications the callback gateway did not acknowledge (the channel resends them). */
    public final AtomicLong unacknowledgedCallbacks = new AtomicLong();
    /** Deliveries to the gateway that got no answer, by the failure's root cause (connect refused, timeout, ...). */
    public final java.util.Map<String, Long> deliveryFailures = new java.util.concurrent.ConcurrentSkipListMap<>();

    public final AtomicLong lostCallbacks = new AtomicLong();
    public final AtomicLong forged = new AtomicLong();
    public final AtomicLong mismatched = new AtomicLong();
    public final AtomicLong paymentCenterMisses = new AtomicLong();
    public final AtomicLong businessMisses = new AtomicLong();
    public final AtomicLong queriesAnswered = new AtomicLong();
    public final AtomicLong resultsApplied = new AtomicLong();
    /** Results of an earlier attempt that reached the payment center after the user's retry. */
    public final AtomicLong staleResults = new AtomicLong();

    /** Refund rows the payment center created. */
    public final AtomicLong refunds = new AtomicLong();
    /** Refund notifications lost on their way (no resend). */
    public final AtomicLong lostRefundNotifications = new AtomicLong();
    /** Outcomes from refund.results the payment center wrote to a refund row. */
    public final AtomicLong refundsApplied = new AtomicLong();

    public final AtomicLong commandsApplied = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();

    public String line() {
        return String.format(
                "orders %d (dup %d, over-limit %d, unpaid %d) | refused: out of stock %d, duplicate %d,"
                        + " stock unknown %d (checks bypassed %d) | payments %d paid %d failed %d abandoned %d"
                        + " | callbacks %d resent %d%s lost %d forged %d mismatched %d"
                        + " | injected loss ext %d int %d | queries answered %d, results applied %d%s, commands applied %d"
                        + " | refunds %d (notification lost %d), refund outcomes applied %d%s",
                orders.get(),
                duplicateSubmissions.get(),
                limitAbuse.get(),
                unpaidOrders.get(),
                refusedOutOfStock.get(),
                refusedDuplicate.get(),
                refusedStockUnknown.get(),
                bypassedChecks.get(),
                payments.get(),
                paid.get(),
                failed.get(),
                abandoned.get(),
                callbacks.get(),
                resends.get(),
                unacknowledgedCallbacks.get() > 0
                        ? " (unacknowledged " + unacknowledgedCallbacks.get()
                                + (deliveryFailures.isEmpty() ? "" : ", no answer " + deliveryFailures) + ")"
                        : "",
                lostCallbacks.get(),
                forged.get(),
                mismatched.get(),
                paymentCenterMisses.get(),
                businessMisses.get(),
                queriesAnswered.get(),
                resultsApplied.get(),
                staleResults.get() > 0 ? " (stale " + staleResults.get() + " skipped)" : "",
                commandsApplied.get(),
                refunds.get(),
                lostRefundNotifications.get(),
                refundsApplied.get(),
                errors.get() > 0 ? " | simulator errors " + errors.get() : "");
    }
}
