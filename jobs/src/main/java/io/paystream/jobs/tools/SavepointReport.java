package io.paystream.jobs.tools;

import io.paystream.functions.payments.OrderPaidTimeouts;
import io.paystream.functions.payments.PaymentTimeouts;
import io.paystream.functions.payments.PublishedOutcomes;
import io.paystream.functions.search.OrderDocuments;
import io.paystream.functions.stock.OrderStock;
import io.paystream.functions.stock.StockLedger;
import io.paystream.jobs.payments.PaymentsJob;
import io.paystream.jobs.search.OrderSearchJob;
import io.paystream.jobs.stock.StockLedgerJob;
import io.paystream.state.contract.Money;
import io.paystream.state.payments.OrderPaymentWatch;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.search.OrderDocumentState;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.SkuHolding;
import io.paystream.state.stock.SkuLedger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * Reads a savepoint (or retained checkpoint) of a paystream job and prints what an operator wants
 * to know before resuming from it: for {@code payments} the open payments with their next
 * deadline, the settled payments still remembered to drop resent callbacks, and the orders waiting
 * to be marked PAID; for {@code stock-ledger} the counts per SKU and the unpaid orders waiting for
 * their expiry; for {@code order-search} the number of order documents held. The job is recognized
 * by the operator uids in the savepoint.
 *
 * <pre>
 *   deploy/savepoint-report /savepoints/savepoint-1a2b3c-0123456789ab
 *   flink run -c io.paystream.jobs.tools.SavepointReport paystream-jobs-*-job.jar /savepoints/savepoint-...
 * </pre>
 *
 * Reading runs a small batch job with the State Processor API (on the cluster with
 * {@code flink run}, on a local MiniCluster otherwise); it only reads the savepoint. The state
 * names and types here are the jobs' own: a change there that this tool misses fails
 * {@code SavepointReportTest}.
 */
public final class SavepointReport {
    static final String PAYMENT_TIMEOUTS = PaymentsJob.PAYMENT_TIMEOUTS_UID;
    static final String ORDER_PAID_TIMEOUTS = PaymentsJob.ORDER_PAID_TIMEOUTS_UID;
    static final String STOCK_LEDGER = StockLedgerJob.STOCK_LEDGER_UID;
    static final String ORDER_STOCK = StockLedgerJob.ORDER_STOCK_UID;
    static final String ORDER_DOCUMENTS = OrderSearchJob.ORDER_DOCUMENTS_UID;
    /**
     * Every reader emits exactly one row per key and the report filters afterwards: with the State
     * Processor API 1.20.0, a key for which the reader emits nothing ends the reading of its key
     * range there (its input format returns no record, which the source takes for the end). Seen
     * on the stock-ledger fixture: the keys after the first one without a row were never read.
     */
    static final String EVERY_KEY = "one row per key";
    /** Rows listed per section (the counts are always complete). */
    static final int LISTED = 50;

    private SavepointReport() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: SavepointReport <savepoint-or-checkpoint-directory>");
            System.exit(2);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // Under flink run: the cluster's. Otherwise a local cluster kept up for the whole report.
        System.out.print(env instanceof LocalStreamEnvironment ? reportOnLocalCluster(args[0]) : report(env, args[0]));
    }

    /**
     * The report, read on a MiniCluster started for it in this JVM. (A plain local environment
     * starts a cluster per job and shuts it down as the job ends, sometimes before the last rows
     * were fetched.)
     */
    public static String reportOnLocalCluster(String path) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4)
                .build())) {
            cluster.start();
            URI rest = cluster.getRestAddress().get();
            Configuration client = new Configuration();
            client.set(DeploymentOptions.TARGET, "remote");
            client.set(RestOptions.ADDRESS, rest.getHost());
            client.set(RestOptions.PORT, rest.getPort());
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(client);
            env.setParallelism(2);
            return report(env, path);
        }
    }

    /** The report of the savepoint at {@code path} (a directory or its {@code _metadata} file, any Flink file system URI). */
    public static String report(StreamExecutionEnvironment env, String path) throws Exception {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(path);
        StringBuilder out = new StringBuilder();
        out.append("Savepoint ").append(path).append('\n');
        SavepointReader savepoint = SavepointReader.read(env, path, new EmbeddedRocksDBStateBackend());
        boolean known = false;
        if (has(metadata, PAYMENT_TIMEOUTS)) {
            known = true;
            out.append("Job: payments (max parallelism ")
                    .append(maxParallelism(metadata, PAYMENT_TIMEOUTS))
                    .append(")\n");
            payments(env, savepoint, out);
        }
        if (has(metadata, STOCK_LEDGER)) {
            known = true;
            out.append("Job: stock-ledger (max parallelism ")
                    .append(maxParallelism(metadata, STOCK_LEDGER))
                    .append(")\n");
            stock(env, savepoint, metadata, out);
        }
        if (has(metadata, ORDER_DOCUMENTS)) {
            known = true;
            out.append("Job: order-search (max parallelism ")
                    .append(maxParallelism(metadata, ORDER_DOCUMENTS))
                    .append(")\n");
            orderDocuments(env, savepoint, out);
        }
        if (!known) {
            out.append("No paystream job's state in it: none of the operators ")
                    .append(List.of(PAYMENT_TIMEOUTS, STOCK_LEDGER, ORDER_DOCUMENTS))
                    .append(" (")
                    .append(metadata.getOperatorStates().size())
                    .append(" operator states)\n");
        }
        return out.toString();
    }

    // --- payments -------------------------------------------------------------------------------

    private static void payments(StreamExecutionEnvironment env, SavepointReader savepoint, StringBuilder out)
            throws Exception {
        List<PaymentLine> payments = drain(savepoint
                .readKeyedState(
                        OperatorIdentifier.forUid(PAYMENT_TIMEOUTS),
                        new PaymentReader(),
                        Types.STRING,
                        TypeInformation.of(PaymentLine.class))
                .executeAndCollect("paystream savepoint report: payments"));
        List<OrderLine> orders = drain(savepoint
                .readKeyedState(
                        OperatorIdentifier.forUid(ORDER_PAID_TIMEOUTS),
                        new OrderPaidReader(),
                        Types.LONG,
                        TypeInformation.of(OrderLine.class))
                .executeAndCollect("paystream savepoint report: orders paid"));
        payments.sort(Comparator.comparing(p -> p.paymentId));
        // Open payments by their next deadline, the most urgent first.
        List<PaymentLine> open = payments.stream()
                .filter(p -> p.paying)
                .sorted(Comparator.comparingLong((PaymentLine p) -> p.nextDeadline)
                        .thenComparing(p -> p.paymentId))
                .toList();
        out.append("Open payments (PAYING, re-queries pending): ")
                .append(open.size())
                .append('\n');
        for (PaymentLine p : first(open, out)) {
            out.append(String.format(
                    "  %-20s %-10s order %-10d %-8s %10s  PAYING since %s  next: %s at %s  answers without outcome: %d%n",
                    p.paymentId,
                    p.phase,
                    p.orderId,
                    p.channel,
                    Money.yuan(p.amountCents),
                    time(p.payingSince),
                    p.nextStep,
                    time(p.nextDeadline),
                    p.answersWithoutOutcome));
        }
        long remembered = payments.stream().filter(p -> p.hasRow && !p.paying).count();
        long waiting = payments.stream().mapToLong(p -> p.notificationsWaiting).sum();
        out.append("Remembered settled payments (resent callbacks are dropped): ")
                .append(remembered)
                .append('\n');
        for (PaymentLine p :
                first(payments.stream().filter(q -> q.hasRow && !q.paying).toList(), out)) {
            out.append(String.format(
                    "  %-20s %-10s order %-10d %-8s %10s  %-7s published %s  forget at %s%n",
                    p.paymentId,
                    p.phase,
                    p.orderId,
                    p.channel,
                    Money.yuan(p.amountCents),
                    p.status,
                    p.published,
                    time(p.nextDeadline)));
        }
        out.append("Callbacks waiting for their payment row: ").append(waiting).append('\n');

        orders.sort(Comparator.comparingLong(o -> o.orderId));
        List<OrderLine> unpaid = orders.stream().filter(o -> o.watching).toList();
        out.append("Orders paid but not marked PAID (re-notify pending): ")
                .append(unpaid.size())
                .append('\n');
        for (OrderLine o : first(unpaid, out)) {
            out.append(String.format(
                    "  order %-10d payment %-20s %-8s %10s  paid at %s  next: re-notify %d at %s%n",
                    o.orderId,
                    o.paymentId,
                    o.channel,
                    Money.yuan(o.amountCents),
                    time(o.successAt),
                    o.nextAttempt,
                    time(o.nextDeadline)));
        }
    }

    /** One payment as the per-payment operator holds it. */
    public static class PaymentLine {
        public String paymentId;
        /** The payment's {@code PaymentPhase} (derived for state older than the field). */
        public String phase;

        public boolean hasRow;
        public boolean paying;
        public long orderId;
        public String channel;
        public long amountCents;
        public String status;
        public long payingSince;
        public String nextStep;
        public long nextDeadline;
        /** Re-queries the channel answered without an outcome yet (kept since 0.2; 0 before). */
        public int answersWithoutOutcome;

        public String published;
        public int notificationsWaiting;

        public PaymentLine() {}
    }

    static final class PaymentReader extends KeyedStateReaderFunction<String, PaymentLine> {
        private transient ValueState<PaymentWatch> watch;
        private transient ListState<PaymentNotification> awaitingRow;

        @Override
        public void open(Configuration parameters) {
            ValueStateDescriptor<PaymentWatch> w =
                    new ValueStateDescriptor<>(PaymentTimeouts.WATCH_STATE, PaymentWatch.class);
            w.enableTimeToLive(readEverything());
            watch = getRuntimeContext().getState(w);
            ListStateDescriptor<PaymentNotification> a =
                    new ListStateDescriptor<>(PaymentTimeouts.AWAITING_ROW_STATE, PaymentNotification.class);
            a.enableTimeToLive(readEverything());
            awaitingRow = getRuntimeContext().getListState(a);
        }

        @Override
        public void readKey(String key, Context ctx, Collector<PaymentLine> out) throws Exception {
            PaymentWatch w = watch.value();
            PaymentLine p = new PaymentLine();
            p.paymentId = key;
            for (PaymentNotification ignored : awaitingRow.get()) {
                p.notificationsWaiting++;
            }
            if (w == null) {
                out.collect(p); // one row for every key (EVERY_KEY)
                return;
            }
            p.phase = w.phase().name();
            p.hasRow = !w.isAwaitingRow();
            p.paying = w.isRequerying();
            p.orderId = w.orderId;
            p.channel = w.channel == null ? "?" : w.channel.name();
            p.amountCents = w.amountCents;
            p.status = w.status == null ? "?" : w.status.name();
            p.payingSince = w.payingSince;
            p.published = PublishedOutcomes.describe(w.publishedOutcomes);
            Set<Long> timers = new TreeSet<>(ctx.registeredProcessingTimeTimers());
            if (p.paying) {
                // The next deadline is the payment's one schedule timer (the other is its forget timer).
                p.nextDeadline = timers.stream()
                        .filter(t -> t != w.forgetTimer)
                        .findFirst()
                        .orElse(0L);
                p.answersWithoutOutcome = w.answersWithoutOutcome;
                // Step n of the schedule is re-query n; the step after the last is the lost-payment alert.
                p.nextStep = "step " + w.nextAttempt;
            } else {
                p.nextDeadline = timers.stream()
                        .filter(t -> t == w.forgetTimer)
                        .findFirst()
                        .orElse(0L);
                p.nextStep = "forget";
            }
            out.collect(p);
        }
    }

    /** One order whose payment succeeded, as the order-keyed operator holds it. */
    public static class OrderLine {
        public long orderId;
        public boolean watching;
        public String paymentId;
        public String channel;
        public long amountCents;
        public long successAt;
        public int nextAttempt;
        public long nextDeadline;

        public OrderLine() {}
    }

    static final class OrderPaidReader extends KeyedStateReaderFunction<Long, OrderLine> {
        private transient ValueState<OrderPaymentWatch> watch;

        @Override
        public void open(Configuration parameters) {
            ValueStateDescriptor<OrderPaymentWatch> d =
                    new ValueStateDescriptor<>(OrderPaidTimeouts.WATCH_STATE, OrderPaymentWatch.class);
            d.enableTimeToLive(readEverything());
            watch = getRuntimeContext().getState(d);
        }

        @Override
        public void readKey(Long key, Context ctx, Collector<OrderLine> out) throws Exception {
            OrderPaymentWatch w = watch.value();
            OrderLine o = new OrderLine();
            o.orderId = key;
            if (w == null) {
                out.collect(o); // one row for every key (EVERY_KEY)
                return;
            }
            o.watching = w.isRenotifying();
            o.paymentId = w.paymentId;
            o.channel = w.channel == null ? "?" : w.channel.name();
            o.amountCents = w.amountCents;
            o.successAt = w.successAt;
            o.nextAttempt = w.nextAttempt;
            o.nextDeadline = ctx.registeredProcessingTimeTimers().stream()
                    .min(Long::compare)
                    .orElse(0L);
            out.collect(o);
        }
    }

    // --- stock-ledger ---------------------------------------------------------------------------

    private static void stock(
            StreamExecutionEnvironment env, SavepointReader savepoint, CheckpointMetadata metadata, StringBuilder out)
            throws Exception {
        List<SkuLine> skus = drain(savepoint
                .readKeyedState(
                        OperatorIdentifier.forUid(STOCK_LEDGER),
                        new SkuReader(),
                        Types.LONG,
                        TypeInformation.of(SkuLine.class))
                .executeAndCollect("paystream savepoint report: stock per SKU"));
        List<UnpaidOrderLine> orders = has(metadata, ORDER_STOCK)
                ? drain(savepoint
                        .readKeyedState(
                                OperatorIdentifier.forUid(ORDER_STOCK),
                                new UnpaidOrderReader(),
                                Types.LONG,
                                TypeInformation.of(UnpaidOrderLine.class))
                        .executeAndCollect("paystream savepoint report: unpaid orders"))
                : null;
        skus = new ArrayList<>(skus.stream().filter(s -> s.known).toList());
        skus.sort(Comparator.comparingLong(s -> s.skuId));
        out.append("Stock per SKU: ").append(skus.size()).append('\n');
        for (SkuLine s : first(skus, out)) {
            out.append(String.format(
                    "  SKU %-10d total %6d  reserved %6d  sold %6d  available %6d  mode %-7s  limit %-5s  orders holding %d%n",
                    s.skuId,
                    s.total,
                    s.reserved,
                    s.sold,
                    s.total - s.reserved - s.sold,
                    s.mode,
                    s.perUserLimit == null ? "none" : s.perUserLimit,
                    s.ordersHolding));
        }
        if (orders != null) {
            orders = new ArrayList<>(orders.stream().filter(o -> o.open).toList());
            orders.sort(Comparator.comparingLong(o -> o.orderId));
            out.append("Unpaid orders waiting for their expiry: ")
                    .append(orders.size())
                    .append('\n');
            for (UnpaidOrderLine o : first(orders, out)) {
                out.append(String.format(
                        "  order %-10d user %-10d %-14s created %s  expires at %s%n",
                        o.orderId, o.userId, o.phase, time(o.createdAt), time(o.expiryAt)));
            }
        }
    }

    /** One SKU's counts. */
    public static class SkuLine {
        public long skuId;
        public boolean known;
        public long total;
        public long reserved;
        public long sold;
        public String mode;
        public Integer perUserLimit;
        public int ordersHolding;

        public SkuLine() {}
    }

    static final class SkuReader extends KeyedStateReaderFunction<Long, SkuLine> {
        private transient ValueState<SkuLedger> ledger;
        private transient MapState<Long, SkuHolding> holdings;

        @Override
        public void open(Configuration parameters) {
            ledger =
                    getRuntimeContext().getState(new ValueStateDescriptor<>(StockLedger.LEDGER_STATE, SkuLedger.class));
            holdings = getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>(
                            StockLedger.HOLDINGS_STATE,
                            BasicTypeInfo.LONG_TYPE_INFO,
                            TypeInformation.of(SkuHolding.class)));
        }

        @Override
        public void readKey(Long key, Context ctx, Collector<SkuLine> out) throws Exception {
            SkuLedger l = ledger.value();
            SkuLine s = new SkuLine();
            s.skuId = key;
            if (l == null) {
                out.collect(s); // holdings of a SKU whose ledger is gone: one row for every key (EVERY_KEY)
                return;
            }
            s.known = true;
            s.total = l.stock;
            s.reserved = l.reserved();
            s.sold = l.paidUnits;
            s.mode = (l.mode == null ? DeductMode.ORDER : l.mode).name();
            s.perUserLimit = l.perUserLimit;
            for (SkuHolding ignored : holdings.values()) {
                s.ordersHolding++;
            }
            out.collect(s);
        }
    }

    /** An unpaid order whose expiry is pending. */
    public static class UnpaidOrderLine {
        public long orderId;
        public boolean open;
        /** The order's {@code OrderPhase} (derived for state older than the field). */
        public String phase;

        public long userId;
        public long createdAt;
        public long expiryAt;

        public UnpaidOrderLine() {}
    }

    static final class UnpaidOrderReader extends KeyedStateReaderFunction<Long, UnpaidOrderLine> {
        private transient ValueState<OrderStockState> order;

        @Override
        public void open(Configuration parameters) {
            ValueStateDescriptor<OrderStockState> d =
                    new ValueStateDescriptor<>(OrderStock.ORDER_STATE, OrderStockState.class);
            d.enableTimeToLive(readEverything());
            order = getRuntimeContext().getState(d);
        }

        @Override
        public void readKey(Long key, Context ctx, Collector<UnpaidOrderLine> out) throws Exception {
            OrderStockState s = order.value();
            UnpaidOrderLine o = new UnpaidOrderLine();
            o.orderId = key;
            o.open = s != null && s.orderPhase().expiryDue() && s.phase == HoldingPhase.OPEN;
            if (!o.open) {
                out.collect(o); // one row for every key: see EVERY_KEY
                return;
            }
            o.phase = s.orderPhase().name();
            o.userId = s.userId;
            o.createdAt = s.createdAtMs;
            o.expiryAt = s.expiryCheckAt;
            out.collect(o);
        }
    }

    // --- order-search ---------------------------------------------------------------------------

    private static void orderDocuments(StreamExecutionEnvironment env, SavepointReader savepoint, StringBuilder out)
            throws Exception {
        List<DocumentLine> docs = drain(savepoint
                .readKeyedState(
                        OperatorIdentifier.forUid(ORDER_DOCUMENTS),
                        new DocumentReader(),
                        Types.LONG,
                        TypeInformation.of(DocumentLine.class))
                .executeAndCollect("paystream savepoint report: order documents"));
        long held = docs.stream().filter(d -> d.hasOrder).count();
        long deleted = docs.stream().filter(d -> d.deleted).count();
        long orphans = docs.size() - held - deleted;
        long items = docs.stream().mapToLong(d -> d.items).sum();
        out.append("Order documents held: ")
                .append(held)
                .append(" (")
                .append(items)
                .append(" items in all)\n");
        out.append("Deleted orders kept as tombstones: ").append(deleted).append('\n');
        out.append("Items or payments waiting for their order row: ")
                .append(orphans)
                .append('\n');
    }

    /** One order key of the document join. */
    public static class DocumentLine {
        public long orderId;
        public boolean hasOrder;
        public boolean deleted;
        public int items;

        public DocumentLine() {}
    }

    static final class DocumentReader extends KeyedStateReaderFunction<Long, DocumentLine> {
        private transient ValueState<OrderDocumentState> head;
        private transient MapState<Long, OrderItemRow> items;

        @Override
        public void open(Configuration parameters) {
            head = getRuntimeContext()
                    .getState(new ValueStateDescriptor<>(OrderDocuments.ORDER_STATE, OrderDocumentState.class));
            items = getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>(
                            OrderDocuments.ITEMS_STATE, Types.LONG, TypeInformation.of(OrderItemRow.class)));
        }

        @Override
        public void readKey(Long key, Context ctx, Collector<DocumentLine> out) throws Exception {
            OrderDocumentState s = head.value();
            DocumentLine d = new DocumentLine();
            d.orderId = key;
            d.hasOrder = s != null && s.order != null && !s.deleted;
            d.deleted = s != null && s.deleted;
            for (OrderItemRow ignored : items.values()) {
                d.items++;
            }
            out.collect(d);
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    /**
     * The jobs' TTLs are safety nets; reading must see every entry, however old the savepoint, so
     * the readers declare TTL (the serialized form carries it) and return what was not cleaned up.
     */
    static StateTtlConfig readEverything() {
        return StateTtlConfig.newBuilder(Duration.ofDays(3650))
                .setStateVisibility(StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp)
                .build();
    }

    private static boolean has(CheckpointMetadata metadata, String uid) {
        return operator(metadata, uid) != null;
    }

    private static int maxParallelism(CheckpointMetadata metadata, String uid) {
        return operator(metadata, uid).getMaxParallelism();
    }

    private static OperatorState operator(CheckpointMetadata metadata, String uid) {
        OperatorID id = OperatorIdentifier.forUid(uid).getOperatorId();
        for (OperatorState s : metadata.getOperatorStates()) {
            if (s.getOperatorID().equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** The first {@link #LISTED} rows of a list; a line says how many more there are. */
    private static <T> List<T> first(List<T> rows, StringBuilder out) {
        if (rows.size() <= LISTED) {
            return rows;
        }
        List<T> shown = rows.subList(0, LISTED);
        // Appended after the caller's header; the rows follow it.
        out.append("  (the first ")
                .append(LISTED)
                .append(" of ")
                .append(rows.size())
                .append(")\n");
        return shown;
    }

    /** All rows of one reader (each reader is a small batch job). */
    private static <T> List<T> drain(CloseableIterator<T> rows) throws Exception {
        List<T> out = new ArrayList<>();
        try (rows) {
            rows.forEachRemaining(out::add);
        }
        return out;
    }

    static String time(long epochMs) {
        return epochMs <= 0 ? "-" : Instant.ofEpochMilli(epochMs).toString();
    }
}
