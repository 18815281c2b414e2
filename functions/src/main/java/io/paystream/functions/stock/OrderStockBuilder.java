package io.paystream.functions.stock;

import static io.paystream.functions.stock.OrderStockOptions.ORDER_RETENTION;
import static io.paystream.functions.stock.OrderStockOptions.PAY_TIMEOUT;

import io.paystream.functions.options.InvalidOptionsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * {@link OrderStock}'s options, one per setting, defaulting to the settings' defaults.
 * {@link #build()} checks them all and names the setting of each bad one.
 */
public final class OrderStockBuilder {
    Duration payTimeout = PAY_TIMEOUT.defaultValue();
    Duration retention = ORDER_RETENTION.defaultValue();
    Duration safetyTtl;

    OrderStockBuilder() {}

    /** Every option from a configuration (a job's settings). */
    public OrderStockBuilder from(ReadableConfig config) {
        return payTimeout(config.get(PAY_TIMEOUT)).retention(config.get(ORDER_RETENTION));
    }

    /** {@code order.pay-timeout}: an unpaid order holding deduct-on-order stock expires this long after its created_at. */
    public OrderStockBuilder payTimeout(Duration v) {
        this.payTimeout = v;
        return this;
    }

    /** {@code order.retention}: an order is forgotten this long after its last row (longer than the pay timeout). */
    public OrderStockBuilder retention(Duration v) {
        this.retention = v;
        return this;
    }

    /** State TTL, a safety net only behind the retention timers: three times the retention unless set. */
    public OrderStockBuilder safetyTtl(Duration v) {
        this.safetyTtl = v;
        return this;
    }

    /** Checks every option; throws {@link InvalidOptionsException} naming the setting of each bad one. */
    public OrderStock build() {
        List<String> problems = new ArrayList<>();
        InvalidOptionsException.positive(PAY_TIMEOUT, payTimeout, problems);
        InvalidOptionsException.positive(ORDER_RETENTION, retention, problems);
        if (problems.isEmpty() && retention.compareTo(payTimeout) <= 0) {
            problems.add("setting '" + ORDER_RETENTION.key() + "' (" + retention + ") must be longer than '"
                    + PAY_TIMEOUT.key() + "' (" + payTimeout + ")");
        }
        if (safetyTtl == null && retention != null) {
            safetyTtl = retention.multipliedBy(3);
        }
        if (safetyTtl != null && (safetyTtl.isNegative() || safetyTtl.isZero())) {
            problems.add("the order stock's state TTL must be positive, got " + safetyTtl);
        }
        InvalidOptionsException.throwIfAny(problems);
        return new OrderStock(this);
    }
}
