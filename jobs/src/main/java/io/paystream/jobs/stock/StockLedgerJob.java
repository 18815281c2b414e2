package io.paystream.jobs.stock;

import io.paystream.functions.options.InvalidOptionsException;
import io.paystream.functions.stock.AccountOrders;
import io.paystream.functions.stock.DuplicateSubmissions;
import io.paystream.functions.stock.OrderStock;
import io.paystream.functions.stock.StockLedger;
import io.paystream.functions.stock.StockOutputs;
import io.paystream.functions.stock.UnpaidOrderRisk;
import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.PaystreamKafka;
import io.paystream.jobs.redis.RedisKeyedWriter;
import io.paystream.jobs.redis.StockLevelWrites;
import io.paystream.jobs.redis.SubmitKeyWrites;
import io.paystream.jobs.runtime.JobInputs;
import io.paystream.jobs.runtime.JobOutputs;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.ShopRows;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.stock.StockHolding;
import io.paystream.state.stock.StockLevel;
import io.paystream.state.stock.SubmitKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The stock ledger: live counts per SKU in Redis ({@code stock:{sku_id}}), unpaid-order expiry,
 * oversell, purchase limits, risk control and duplicate submissions. Reads {@code inventory},
 * {@code orders}, {@code order_items} and {@code payments} by CDC; writes Redis idempotently
 * (absolute values, batched and pipelined, flushed before every checkpoint; every key rewritten
 * when Redis loses keys, an outage waited out) and
 * {@code order.commands} and {@code payment.alerts} exactly once, with deterministic ids.
 *
 * <pre>
 *   orders + items + payments --keyBy order--> OrderStock --holdings, keyBy sku--> StockLedger --> Redis stock:*
 *   inventory ---------------- broadcast (modes) --^          inventory, keyBy sku --^
 *   orders (inserted) --keyBy submit_hash--> DuplicateSubmissions --> Redis order:submit:*
 *   orders --per account and IP--> UnpaidOrderRisk
 * </pre>
 */
public final class StockLedgerJob implements PaystreamJob<StockLedgerJob.Inputs, StockLedgerJob.Outputs> {
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String STOCK_LEDGER_UID = "stock-ledger";
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String ORDER_STOCK_UID = "order-stock";

    public static final String NAME = "stock-ledger";
    public static final String SERVER_IDS = "5410-5419";

    /** What the job reads: {@code inventory}, {@code orders}, {@code order_items} and {@code payments} by CDC. */
    public static class Inputs extends JobInputs {
        public Inputs(Settings settings) {
            super(
                    settings,
                    NAME,
                    SERVER_IDS,
                    ShopTable.INVENTORY,
                    ShopTable.ORDERS,
                    ShopTable.ORDER_ITEMS,
                    ShopTable.PAYMENTS);
        }
    }

    /** What the job emits, before the sinks. */
    public static final class Outputs extends JobOutputs {
        public final DataStream<StockLevel> stockLevels;
        public final DataStream<SubmitKey> submitKeys;
        public final DataStream<Alert> alerts;
        public final DataStream<OrderCommand> orderCommands;

        Outputs(
                DataStream<StockLevel> stockLevels,
                DataStream<SubmitKey> submitKeys,
                DataStream<Alert> alerts,
                DataStream<OrderCommand> orderCommands,
                DataStream<DeadLetter> deadLetters) {
            super(deadLetters);
            this.stockLevels = stockLevels;
            this.submitKeys = submitKeys;
            this.alerts = alerts;
            this.orderCommands = orderCommands;
        }

        @Override
        protected Map<String, DataStream<?>> named() {
            Map<String, DataStream<?>> m = new LinkedHashMap<>();
            m.put("stock-levels", stockLevels);
            m.put("submit-keys", submitKeys);
            m.put("alerts", alerts);
            m.put("order-commands", orderCommands);
            return m;
        }
    }

    public static void main(String[] args) throws Exception {
        JobRunner.run(new StockLedgerJob(), args);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "live stock per SKU in Redis; unpaid-order expiry, oversell, purchase limits, risk control, duplicate submissions";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return PaystreamOptions.declaredIn(StockLedgerOptions.class);
    }

    @Override
    public Inputs inputs(Settings settings) {
        return new Inputs(settings);
    }

    @Override
    public Outputs wire(StreamExecutionEnvironment env, Inputs inputs, Settings settings) {
        ShopRows shop = inputs.shop(env);
        StockFunctions fns = StockFunctions.of(settings);
        DataStream<RowChange<OrderRow>> orders = shop.orders();
        DataStream<RowChange<InventoryRow>> inventory = shop.inventory();
        SingleOutputStreamOperator<StockHolding> holdings = orderEvents(shop)
                .keyBy(OrderStock::orderIdOf, Types.LONG)
                .connect(inventory.broadcast(OrderStock.DEDUCT_MODES))
                .process(fns.orderStock(), io.paystream.state.stock.StockTypes.STOCK_HOLDING)
                .uid(ORDER_STOCK_UID)
                .name("Order stock (holdings per order, unpaid expiry)");
        SingleOutputStreamOperator<StockLevel> levels = inventory
                .keyBy(c -> c.row().skuId, Types.LONG)
                .connect(holdings.keyBy(h -> h.skuId, Types.LONG))
                .process(fns.ledger(), TypeInformation.of(StockLevel.class))
                .uid(STOCK_LEDGER_UID)
                .name("Stock ledger (counts per SKU, oversell, purchase limits)");
        SingleOutputStreamOperator<SubmitKey> submitKeys = submissions(orders, fns.duplicates());
        SingleOutputStreamOperator<Alert> suspicious = unpaidOrderRisk(orders, fns.risk());

        DataStream<Alert> alerts = levels.getSideOutput(StockOutputs.ALERTS)
                .union(submitKeys.getSideOutput(StockOutputs.ALERTS), suspicious);
        DataStream<OrderCommand> commands = holdings.getSideOutput(StockOutputs.COMMANDS)
                .union(levels.getSideOutput(StockOutputs.COMMANDS), submitKeys.getSideOutput(StockOutputs.COMMANDS));
        return new Outputs(
                levels,
                submitKeys,
                alerts,
                commands,
                shop.deadLetters().union(holdings.getSideOutput(StockOutputs.DEAD_LETTERS)));
    }

    /** The job's keyed functions, from the settings; a bad setting fails here, by name. */
    private record StockFunctions(
            OrderStock orderStock, StockLedger ledger, DuplicateSubmissions duplicates, UnpaidOrderRisk risk) {
        static StockFunctions of(Settings settings) {
            try {
                return new StockFunctions(
                        OrderStock.builder().from(settings.toConfiguration()).build(),
                        new StockLedger(settings.get(StockLedgerOptions.LIMIT_CANCEL_ORDERS)),
                        new DuplicateSubmissions(settings.get(StockLedgerOptions.DEDUP_WINDOW)),
                        new UnpaidOrderRisk(
                                settings.get(StockLedgerOptions.RISK_WINDOW),
                                settings.get(StockLedgerOptions.RISK_MAX_UNPAID_PER_ACCOUNT),
                                settings.get(StockLedgerOptions.RISK_MAX_UNPAID_PER_IP)));
            } catch (InvalidOptionsException e) {
                throw new InvalidSettingsException(e.problems());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingsException(List.of(e.getMessage()));
            }
        }
    }

    /**
     * Orders, their lines and their payments, to meet in one keyed function per order. The
     * stateless steps before each keyBy run at their input's parallelism, chained to it: a
     * round-robin hop would reorder the rows of one key.
     */
    private static DataStream<ShopChange> orderEvents(ShopRows shop) {
        DataStream<RowChange<OrderRow>> orders = shop.orders();
        DataStream<RowChange<OrderItemRow>> items = shop.orderItems();
        DataStream<RowChange<PaymentRow>> payments = shop.payments();
        return orders.map(ShopChange::ofOrder, ShopTypes.SHOP_CHANGE)
                .setParallelism(orders.getParallelism())
                .uid("stock-orders-in")
                .name("Orders")
                .union(
                        items.map(ShopChange::ofItem, ShopTypes.SHOP_CHANGE)
                                .setParallelism(items.getParallelism())
                                .uid("stock-items-in")
                                .name("Order items"),
                        payments.map(ShopChange::ofPayment, ShopTypes.SHOP_CHANGE)
                                .setParallelism(payments.getParallelism())
                                .uid("stock-payments-in")
                                .name("Payments"));
    }

    private static SingleOutputStreamOperator<SubmitKey> submissions(
            DataStream<RowChange<OrderRow>> orders, DuplicateSubmissions duplicates) {
        return orders.filter(DuplicateSubmissions::isSubmission)
                .setParallelism(orders.getParallelism())
                .uid("submissions")
                .name("Submitted orders")
                .keyBy(c -> c.after.submitHash, Types.STRING)
                .process(duplicates, TypeInformation.of(SubmitKey.class))
                .uid("duplicate-submissions")
                .name("Duplicate submissions");
    }

    private static SingleOutputStreamOperator<Alert> unpaidOrderRisk(
            DataStream<RowChange<OrderRow>> orders, UnpaidOrderRisk risk) {
        return orders.flatMap(new AccountOrders(), io.paystream.state.stock.StockTypes.ACCOUNT_ORDER)
                .setParallelism(orders.getParallelism())
                .uid("account-orders")
                .name("Orders per account and IP")
                .keyBy(a -> a.subject, Types.STRING)
                .process(risk, TypeInformation.of(Alert.class))
                .uid("unpaid-order-risk")
                .name("Unpaid-order risk (accounts, IPs)");
    }

    /** Redis (idempotent, chained to the operators that own the keys), exactly-once Kafka, dead letters. */
    @Override
    public void sinkTo(Outputs out, Settings settings) {
        sinkToRedis(out, settings);
        PaystreamKafka.sinkAlerts(out.alerts, settings, NAME);
        PaystreamKafka.sinkOrderCommands(out.orderCommands, settings, NAME);
        PaystreamKafka.sinkDeadLetters(out.deadLetters, settings, NAME);
    }

    /**
     * The Redis writers: stock counts and submission keys, each chained to the keyed operator that
     * owns its keys and keeping the last value per key, to rewrite them all when Redis loses them.
     */
    public static void sinkToRedis(Outputs out, Settings settings) {
        String uri = settings.get(PaystreamOptions.REDIS_URI);
        String prefix = settings.get(StockLedgerOptions.REDIS_KEY_PREFIX);
        Duration interval = settings.get(StockLedgerOptions.REDIS_FLUSH_INTERVAL);
        int batch = settings.get(StockLedgerOptions.REDIS_BATCH_SIZE);
        RedisKeyedWriter<StockLevel> stock;
        RedisKeyedWriter<SubmitKey> submits;
        try {
            stock = new RedisKeyedWriter<>(
                    uri, interval, batch, new StockLevelWrites(prefix), TypeInformation.of(StockLevel.class));
            submits = new RedisKeyedWriter<>(
                    uri, interval, batch, new SubmitKeyWrites(prefix), TypeInformation.of(SubmitKey.class));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(
                    List.of("Redis settings (redis.uri, redis.flush-interval, redis.batch-size): " + e.getMessage()));
        }
        // Keyed like the ledger (by SKU) and the duplicate check (by submission hash), which emit them.
        RedisKeyedWriter.writeTo(out.stockLevels, (StockLevel s) -> s.skuId, Types.LONG, stock)
                .uid("stock-redis-sink")
                .name("Stock counts to Redis");
        RedisKeyedWriter.writeTo(out.submitKeys, (SubmitKey k) -> k.submitHash, Types.STRING, submits)
                .uid("submit-keys-redis-sink")
                .name("Submit keys to Redis");
    }
}
