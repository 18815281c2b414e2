package io.paystream.sandbox.traffic;

import java.util.concurrent.atomic.AtomicLong;

/** What the simulated shop and channels did, for the status line. */
public final class TrafficStats {
    public final AtomicLong orders = new AtomicLong();
    public final AtomicLong duplicateSubmissions = new AtomicLong();
    public final AtomicLong limitAbuse = new AtomicLong();
    public final AtomicLong unpaidOrders = new AtomicLong();
    public final AtomicLong payments = new AtomicLong();
    public final AtomicLong paid = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();
    public final AtomicLong abandoned = new AtomicLong();
    public final AtomicLong callbacks = new AtomicLong();
    public final AtomicLong resends = new AtomicLong();
    public final AtomicLong lostCallbacks = new AtomicLong();
    public final AtomicLong forged = new AtomicLong();
    public final AtomicLong mismatched = new AtomicLong();
    public final AtomicLong paymentCenterMisses = new AtomicLong();
    public final AtomicLong businessMisses = new AtomicLong();
    public final AtomicLong queriesAnswered = new AtomicLong();
    public final AtomicLong resultsApplied = new AtomicLong();
    public final AtomicLong commandsApplied = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();

    public String line() {
        return String.format(
                "orders %d (dup %d, over-limit %d, unpaid %d) | payments %d paid %d failed %d abandoned %d"
                        + " | callbacks %d resent %d lost %d forged %d mismatched %d"
                        + " | injected loss ext %d int %d | queries answered %d, results applied %d, commands applied %d%s",
                orders.get(),
                duplicateSubmissions.get(),
                limitAbuse.get(),
                unpaidOrders.get(),
                payments.get(),
                paid.get(),
                failed.get(),
                abandoned.get(),
                callbacks.get(),
                resends.get(),
                lostCallbacks.get(),
                forged.get(),
                mismatched.get(),
                paymentCenterMisses.get(),
                businessMisses.get(),
                queriesAnswered.get(),
                resultsApplied.get(),
                commandsApplied.get(),
                errors.get() > 0 ? " | simulator errors " + errors.get() : "");
    }
}
