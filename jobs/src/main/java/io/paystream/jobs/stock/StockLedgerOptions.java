package io.paystream.jobs.stock;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.paystream.functions.stock.OrderStockOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Settings of the stock-ledger job. */
public final class StockLedgerOptions {
    public static final ConfigOption<Duration> PAY_TIMEOUT = OrderStockOptions.PAY_TIMEOUT;
    public static final ConfigOption<Duration> ORDER_RETENTION = OrderStockOptions.ORDER_RETENTION;
    public static final ConfigOption<Duration> DEDUP_WINDOW = key("dedup.window")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("Orders with the same submit_hash created within this "
                    + "window are duplicates (and the expiry of Redis order:submit:{hash}).");
    public static final ConfigOption<Boolean> LIMIT_CANCEL_ORDERS = key("limit.cancel-orders")
            .booleanType()
            .defaultValue(true)
            .withDescription("Besides PURCHASE_LIMIT_EXCEEDED, send CANCEL_OVER_LIMIT for an unpaid order "
                    + "that takes its user beyond a SKU's per_user_limit.");
    public static final ConfigOption<Duration> RISK_WINDOW = key("risk.window")
            .durationType()
            .defaultValue(Duration.ofMinutes(30))
            .withDescription(
                    "Window of the unpaid-order count behind SUSPICIOUS_ACCOUNT " + "(on the orders' created_at).");
    public static final ConfigOption<Integer> RISK_MAX_UNPAID_PER_ACCOUNT = key("risk.max-unpaid-per-account")
            .intType()
            .defaultValue(5)
            .withDescription(
                    "SUSPICIOUS_ACCOUNT when an account created more unpaid orders than this within risk.window.");
    public static final ConfigOption<Integer> RISK_MAX_UNPAID_PER_IP = key("risk.max-unpaid-per-ip")
            .intType()
            .defaultValue(20)
            .withDescription(
                    "SUSPICIOUS_ACCOUNT when a client IP created more unpaid orders than this within risk.window.");
    public static final ConfigOption<String> REDIS_KEY_PREFIX = key("redis.key-prefix")
            .stringType()
            .defaultValue("")
            .withDescription("Prepended to every Redis key this job writes (stock:{sku_id}, order:submit:{hash}).");
    public static final ConfigOption<Duration> REDIS_FLUSH_INTERVAL = key("redis.flush-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("Buffered Redis writes (latest value per key) are sent in one "
                    + "pipeline at this interval, and before every checkpoint.");
    public static final ConfigOption<Integer> REDIS_BATCH_SIZE = key("redis.batch-size")
            .intType()
            .defaultValue(5000)
            .withDescription("A pipeline is sent early when this many keys are waiting.");

    private StockLedgerOptions() {}
}
