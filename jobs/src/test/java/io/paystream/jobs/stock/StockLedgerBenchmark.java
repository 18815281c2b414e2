package io.paystream.jobs.stock;

import io.paystream.functions.stock.OrderStock;
import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.redis.RedisKeyedWriter;
import io.paystream.jobs.redis.StockLevelWrites;
import io.paystream.jobs.runtime.JobEnvironment;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.stock.StockLevel;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Throughput of the stock ledger, not a test (no *Test/*IT name, never in {@code mvn verify}):
 * order events per second through the whole stock-ledger logic (order stage, SKU ledger, duplicate
 * and risk checks, real Redis sinks), typed input, RocksDB with incremental checkpoints every 10 s,
 * beside the "keyed ValueState + a timer per event on RocksDB" ceiling measured in the same run;
 * and the Redis sink's write rate on its own. Run:
 * {@code mvn -B -o test -pl jobs -am -Dtest=StockLedgerBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.orders=300000}
 */
class StockLedgerBenchmark {
    private static final int ORDERS = Integer.getInteger("bench.orders", 300_000);
    private static final int SKUS = Integer.getInteger("bench.skus", 10_000);
    private static final int SINK_UPDATES = Integer.getInteger("bench.sink-updates", 1_000_000);
    /** Per order: created, 2 lines, payment PAYING, payment SUCCESS, order PAID. */
    private static final int EVENTS_PER_ORDER = 6;

    @Test
    void measure() throws Exception {
        List<String> report = new ArrayList<>();
        for (int p : Arrays.stream(
                        System.getProperty("bench.parallelisms", "1,2").split(","))
                .mapToInt(Integer::parseInt)
                .toArray()) {
            double ceiling = Boolean.getBoolean("bench.skip-ceiling") ? 1 : eventsPerSecond(runCeiling(p));
            double staged = Boolean.getBoolean("bench.skip-ceiling") ? 1 : eventsPerSecond(runStagedCeiling(p));
            Map<String, Long> before = redisCalls();
            JobExecutionResult ledger = runLedger(p);
            Map<String, Long> after = redisCalls();
            double seconds = ledger.getNetRuntime() / 1000.0;
            long hsets = after.get("hset") - before.get("hset");
            long sets = after.get("set") - before.get("set");
            report.add(String.format(
                    "p=%d  ledger %,.0f order events/s (%.0f%% of the one-stage ceiling %,.0f/s, %.0f%% of the staged "
                            + "ceiling %,.0f/s); Redis during it: %,d HSET (%,.0f/s) + %,d SET (%,.0f/s) in %.1f s",
                    p,
                    eventsPerSecond(ledger),
                    100 * eventsPerSecond(ledger) / ceiling,
                    ceiling,
                    100 * eventsPerSecond(ledger) / staged,
                    staged,
                    hsets,
                    hsets / seconds,
                    sets,
                    sets / seconds,
                    seconds));
        }
        JobExecutionResult sink = runSinkAlone();
        report.add(String.format(
                "Redis sink alone: %,d SKU updates to distinct keys in %.1f s = %,.0f HSET/s (pipelined, batch 5000)",
                SINK_UPDATES, sink.getNetRuntime() / 1000.0, SINK_UPDATES / (sink.getNetRuntime() / 1000.0)));
        System.out.println("\n=== stock-ledger benchmark: " + ORDERS + " orders (" + (long) ORDERS * EVENTS_PER_ORDER
                + " events), " + SKUS + " SKUs, " + Runtime.getRuntime().availableProcessors() + " cores ===");
        report.forEach(System.out::println);
    }

    private static double eventsPerSecond(JobExecutionResult r) {
        return ((double) ORDERS * EVENTS_PER_ORDER + SKUS) / (r.getNetRuntime() / 1000.0);
    }

    private static Settings settings(int parallelism, String... more) throws Exception {
        Path checkpoints = ScratchDirectories.create("stock-bench");
        List<String> args = new ArrayList<>(List.of(
                "--checkpoint.interval",
                "10 s",
                "--checkpoint.dir",
                checkpoints.toUri().toString(),
                "--parallelism",
                String.valueOf(parallelism)));
        args.addAll(List.of(more));
        return JobRunner.settings(new StockLedgerJob(), args.toArray(new String[0]), Map.of());
    }

    /** A local cluster: its default managed memory (128 MB) starves RocksDB once several keyed operators share it. */
    private static StreamExecutionEnvironment cluster() {
        // A TaskManager has far more (write stalls otherwise). Same for the ceiling.
        org.apache.flink.configuration.Configuration cluster = new org.apache.flink.configuration.Configuration();
        cluster.set(
                org.apache.flink.configuration.TaskManagerOptions.MANAGED_MEMORY_SIZE,
                org.apache.flink.configuration.MemorySize.parse(System.getProperty("bench.managed-memory", "1g")));
        return StreamExecutionEnvironment.getExecutionEnvironment(cluster);
    }

    /** The jobs' runtime, for the pipelines measured beside the job. */
    private static StreamExecutionEnvironment env(int parallelism) throws Exception {
        StreamExecutionEnvironment env = cluster();
        JobEnvironment.configure(env, settings(parallelism));
        return env;
    }

    private static DataStream<ShopChange> shopEvents(StreamExecutionEnvironment env) {
        return env.fromSequence(0, ORDERS - 1)
                .uid("bench-sequence")
                .name("sequence")
                .flatMap(new ShopEvents(), ShopTypes.SHOP_CHANGE)
                .uid("bench-shop-events")
                .name("shop events");
    }

    /** The production stock-ledger wiring, the shop's changes generated, its Redis sinks real, Kafka discarded. */
    private static JobExecutionResult runLedger(int parallelism) throws Exception {
        Settings settings = settings(
                parallelism,
                "--redis.uri",
                SharedServers.redis().uri(),
                "--redis.key-prefix",
                "bench" + parallelism + ":");
        StockLedgerJob.Inputs inputs = new StockLedgerJob.Inputs(settings) {
            @Override
            public ShopChangeStreams shopChanges(StreamExecutionEnvironment env) {
                return ShopChangeStreams.split(shopEvents(env));
            }
        };
        StreamExecutionEnvironment env = cluster();
        StockLedgerJob.Outputs out = JobRunner.wire(new StockLedgerJob(), settings, env, inputs);
        StockLedgerJob.sinkToRedis(out, settings);
        out.alerts.sinkTo(new DiscardingSink<>()).uid("discard-alerts").name("discard alerts");
        out.orderCommands.sinkTo(new DiscardingSink<>()).uid("discard-commands").name("discard order commands");
        out.deadLetters
                .sinkTo(new DiscardingSink<>())
                .uid("discard-dead-letters")
                .name("discard dead letters");
        return env.execute("stock-ledger benchmark p=" + parallelism);
    }

    /** The same events, keyed by order, into a ValueState update and a timer per event: the ceiling. */
    private static JobExecutionResult runCeiling(int parallelism) throws Exception {
        StreamExecutionEnvironment env = env(parallelism);
        shopEvents(env)
                .keyBy(c -> c.inventory != null ? -c.inventory.row().skuId : OrderStock.orderIdOf(c), Types.LONG)
                .process(new StateAndTimer<Long, ShopChange>(), Types.LONG)
                .sinkTo(new DiscardingSink<>());
        return env.execute("ceiling p=" + parallelism);
    }

    /**
     * The staged ceiling: the ledger's keyed stages, each one ValueState update and one RocksDB timer
     * per record it receives (the one-stage ceiling's work), fed the way the ledger feeds its own
     * stages, so the same records cross the same shuffles:
     *
     * <ul>
     *   <li>per order: its 6 events, keyed by order (the ledger's order stage);
     *   <li>per SKU: each catalogue row, and each holding the order stage tells the ledger: one per
     *       line as it arrives, and one per line again when the order is paid (phase OPEN to PAID,
     *       {@code OrderHoldings}): 4 per order of 2 lines, keyed by SKU;
     *   <li>per submit hash: each inserted order ({@code DuplicateSubmissions.isSubmission});
     *   <li>per account and per IP: the order's creation and its payment, each once per subject
     *       ({@code AccountOrders}, the ledger's own function): 4 per order.
     * </ul>
     *
     * So 15 keyed records per order of 6 events, 2.5 per event, where the one-stage ceiling has 1.
     */
    private static JobExecutionResult runStagedCeiling(int parallelism) throws Exception {
        StreamExecutionEnvironment env = env(parallelism);
        DataStream<ShopChange> events = shopEvents(env);
        DataStream<Long> skuRecords = events.filter(c -> c.inventory == null)
                .keyBy(OrderStock::orderIdOf, Types.LONG)
                .process(new StateTimerAndHoldings(), Types.LONG)
                .name("order stage");
        DataStream<Long> catalogue =
                events.filter(c -> c.inventory != null).map(c -> c.inventory.row().skuId, Types.LONG);
        skuRecords
                .union(catalogue)
                .keyBy(sku -> sku, Types.LONG)
                .process(new StateAndTimer<Long, Long>(), Types.LONG)
                .name("sku stage")
                .sinkTo(new DiscardingSink<>());
        DataStream<RowChange<OrderRow>> orders =
                events.filter(c -> c.order != null).map(c -> c.order, ShopTypes.ORDER_CHANGE);
        orders.filter(io.paystream.functions.stock.DuplicateSubmissions::isSubmission)
                .keyBy(c -> c.after.submitHash, Types.STRING)
                .process(new StateAndTimer<String, RowChange<OrderRow>>(), Types.LONG)
                .name("submission stage")
                .sinkTo(new DiscardingSink<>());
        orders.flatMap(
                        new io.paystream.functions.stock.AccountOrders(),
                        io.paystream.state.stock.StockTypes.ACCOUNT_ORDER)
                .keyBy(a -> a.subject, Types.STRING)
                .process(new StateAndTimer<String, io.paystream.state.stock.AccountOrder>(), Types.LONG)
                .name("subject stage")
                .sinkTo(new DiscardingSink<>());
        return env.execute("staged ceiling p=" + parallelism);
    }

    /**
     * The order stage of the staged ceiling: the one-stage ceiling's work, plus the holdings the
     * ledger's order stage sends on (the SKU of each line as it arrives; both SKUs once paid).
     */
    static final class StateTimerAndHoldings extends StateAndTimer<Long, ShopChange> {
        @Override
        void passOn(ShopChange c, Collector<Long> out) {
            if (c.item != null) {
                out.collect(c.item.after.skuId);
            } else if (c.payment != null && c.payment.after.status == PaymentStatus.SUCCESS) {
                long n = c.payment.after.orderId;
                out.collect((n * 7) % SKUS); // the SKUs of ShopEvents' two lines
                out.collect((n * 13) % SKUS);
            }
        }
    }

    private static JobExecutionResult runSinkAlone() throws Exception {
        StreamExecutionEnvironment env = env(1);
        DataStream<StockLevel> levels = env.fromSequence(0, SINK_UPDATES - 1)
                .map(
                        i -> {
                            StockLevel s = new StockLevel();
                            s.skuId = i;
                            s.total = 100;
                            s.reserved = i % 7;
                            s.sold = i % 11;
                            s.available = s.total - s.reserved - s.sold;
                            s.mode = "ORDER";
                            s.version = 1;
                            s.updatedAt = 1;
                            return s;
                        },
                        TypeInformation.of(StockLevel.class));
        // At parallelism 1 the map's output is trivially partitioned by SKU, as the writer needs.
        RedisKeyedWriter.writeTo(
                levels,
                (StockLevel s) -> s.skuId,
                Types.LONG,
                new RedisKeyedWriter<>(
                        SharedServers.redis().uri(),
                        java.time.Duration.ofMillis(200),
                        5000,
                        new StockLevelWrites("bench-sink:"),
                        TypeInformation.of(StockLevel.class)));
        return env.execute("redis sink alone");
    }

    private static Map<String, Long> redisCalls() {
        try (Jedis jedis = new Jedis(URI.create(SharedServers.redis().uri()))) {
            String stats = jedis.info("commandstats");
            return Map.of("hset", calls(stats, "hset"), "set", calls(stats, "set"));
        }
    }

    private static long calls(String stats, String command) {
        return Arrays.stream(stats.split("\r?\n"))
                .filter(l -> l.startsWith("cmdstat_" + command + ":"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("^cmdstat_" + command + ":calls=(\\d+),.*", "$1")))
                .findFirst()
                .orElse(0);
    }

    /** A 4-field POJO, as in shared/PERF.md's ceiling. */
    public static class Small {
        public long a;
        public long b;
        public int c;
        public int d;

        public Small() {}
    }

    /** One ValueState update and one RocksDB timer per record: shared/PERF.md's "RocksDB + timers" stage. */
    static class StateAndTimer<K, T> extends KeyedProcessFunction<K, T, Long> {
        private transient ValueState<Small> state;

        @Override
        public void open(OpenContext openContext) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("small", Small.class));
        }

        @Override
        public void processElement(T c, Context ctx, Collector<Long> out) throws Exception {
            Small s = state.value();
            if (s == null) {
                s = new Small();
            }
            s.a++;
            state.update(s);
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 900_000);
            passOn(c, out);
        }

        /** What a stage sends on to the next one: nothing here. */
        void passOn(T c, Collector<Long> out) {}
    }

    /** One order's rows as the CDC source would deliver them (and the catalogue first). */
    static final class ShopEvents implements FlatMapFunction<Long, ShopChange> {
        private final long now = System.currentTimeMillis();

        @Override
        public void flatMap(Long n, Collector<ShopChange> out) {
            long version = 1 + n * 8;
            if (n < SKUS) {
                InventoryRow inv = new InventoryRow();
                inv.skuId = n;
                inv.name = "sku " + n;
                inv.stock = 1_000_000;
                inv.deductMode = n % 2 == 0 ? DeductMode.ORDER : DeductMode.PAYMENT;
                inv.perUserLimit = n % 5 == 0 ? 50 : null;
                out.collect(ShopChange.ofInventory(new RowChange<>(ChangeOp.READ, null, inv, 0, 0)));
            }
            OrderRow o = new OrderRow();
            o.orderId = n;
            o.userId = n % 100_000;
            o.status = OrderStatus.CREATED;
            o.totalAmountCents = 3000;
            o.submitHash = "h" + n;
            o.clientIp = "10." + (n % 200) + "." + (n % 250) + "." + (n % 7);
            o.createdAtMs = now;
            o.updatedAtMs = now;
            out.collect(ShopChange.ofOrder(new RowChange<>(ChangeOp.CREATE, null, o, now, version)));
            for (int l = 0; l < 2; l++) {
                OrderItemRow i = new OrderItemRow();
                i.itemId = n * 2 + l;
                i.orderId = n;
                i.skuId = (n * (l == 0 ? 7 : 13)) % SKUS;
                i.quantity = 1 + l;
                i.unitPriceCents = 1000;
                out.collect(ShopChange.ofItem(new RowChange<>(ChangeOp.CREATE, null, i, now, version + 1 + l)));
            }
            PaymentRow p = new PaymentRow();
            p.paymentId = "P" + n;
            p.orderId = n;
            p.channel = PaymentChannel.WECHAT;
            p.amountCents = 3000;
            p.status = PaymentStatus.PAYING;
            out.collect(ShopChange.ofPayment(new RowChange<>(ChangeOp.CREATE, null, p, now, version + 3)));
            PaymentRow s = new PaymentRow();
            s.paymentId = p.paymentId;
            s.orderId = n;
            s.channel = PaymentChannel.WECHAT;
            s.amountCents = 3000;
            s.status = PaymentStatus.SUCCESS;
            s.channelTxnId = "T" + n;
            out.collect(ShopChange.ofPayment(new RowChange<>(ChangeOp.UPDATE, p, s, now, version + 4)));
            OrderRow paid = new OrderRow();
            paid.orderId = n;
            paid.userId = o.userId;
            paid.status = OrderStatus.PAID;
            paid.totalAmountCents = 3000;
            paid.submitHash = o.submitHash;
            paid.clientIp = o.clientIp;
            paid.createdAtMs = now;
            paid.updatedAtMs = now;
            out.collect(ShopChange.ofOrder(new RowChange<>(ChangeOp.UPDATE, o, paid, now, version + 5)));
        }
    }
}
