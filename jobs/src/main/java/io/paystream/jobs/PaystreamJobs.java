package io.paystream.jobs;

import io.paystream.jobs.payments.PaymentsJob;
import io.paystream.jobs.search.OrderSearchJob;
import io.paystream.jobs.stock.StockLedgerJob;
import java.util.List;

/** Every paystream job, in the order the sandbox starts them. Each later job adds itself here. */
public final class PaystreamJobs {
    private PaystreamJobs() {}

    public static List<PaystreamJob> all() {
        return List.of(new PaymentsJob(), new StockLedgerJob(), new OrderSearchJob());
    }

    public static PaystreamJob named(String name) {
        for (PaystreamJob j : all()) {
            if (j.name().equals(name)) {
                return j;
            }
        }
        throw new IllegalArgumentException("no paystream job named '" + name + "'; jobs: "
                + all().stream().map(PaystreamJob::name).toList());
    }
}
