package io.paystream.functions.stock;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * The settings of {@link OrderStock}, declared next to it so that its builder names the key of a
 * bad value; the stock-ledger job offers them among its settings ({@code StockLedgerOptions}).
 */
public final class OrderStockOptions {
    public static final ConfigOption<Duration> PAY_TIMEOUT = key("order.pay-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(15))
            .withDescription("An unpaid order holding stock of a deduct-on-order SKU "
                    + "gets CANCEL_UNPAID and releases its reservation this long after its created_at.");
    public static final ConfigOption<Duration> ORDER_RETENTION = key("order.retention")
            .durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription(
                    "How long an order is remembered after its last row: "
                            + "later rows of it (a PAID order CLOSED, a late line) still correct the counts; after it, its "
                            + "sold units stay sold and it no longer counts against purchase limits. Longer than order.pay-timeout.");

    private OrderStockOptions() {}
}
