package io.paystream.jobs.tools;

import io.paystream.functions.payments.OrderPaidTimeouts;
import io.paystream.functions.payments.PaymentTimeouts;
import io.paystream.functions.payments.PublishedOutcomes;
import io.paystream.functions.reconcile.BillReconciliation;
import io.paystream.functions.search.OrderDocuments;
import io.paystream.functions.stock.OrderStock;
import io.paystream.functions.stock.StockLedger;
import io.paystream.jobs.payments.PaymentsJob;
import io.paystream.jobs.reconcile.ReconciliationJob;
import io.paystream.jobs.search.OrderSearchJob;
import io.paystream.jobs.stock.StockLedgerJob;
import io.paystream.state.contract.Money;
import io.paystream.state.payments.OrderPaymentWatch;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.reconcile.ReconcileKeyState;
import io.paystream.state.search.OrderDocumentState;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.SkuHolding;
import io.paystream.state.stock.SkuLedger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Reads a savepoint (or retained checkpoint) of a paystream job and prints what an operator wants
 * to know before resuming from it: for {@code payments} the open payments with their next
 * deadline, the settled payments still remembered to drop resent callbacks, and the orders waiting
 * to be marked PAID; for {@code stock-ledger} the counts per SKU and the unpaid orders waiting for
 * their expiry; for {@code order-search} the number of order documents held; for {@code
 * reconciliation}, per channel, the bill lines and shop records not reconciled yet (and what each
 * waits for) and those reconciled and remembered. The job is recognized
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
            payments(savepoint, out);
        }
        if (has(metadata, STOCK_LEDGER)) {
            known = true;
            out.append("Job: stock-ledger (max parallelism ")
                    .append(maxParallelism(metadata, STOCK_LEDGER))
                    .append(")\n");
            stock(savepoint, metadata, out);
        }
        if (has(metadata, ORDER_DOCUMENTS)) {
            known = true;
            out.append("Job: order-search (max parallelism ")
                    .append(maxParallelism(metadata, ORDER_DOCUMENTS))
                    .append(")\n");
            orderDocuments(savepoint, out);
        }
        List<PaymentChannel> reconciled = java.util.Arrays.stream(PaymentChannel.values())
                .filter(c -> has(metadata, ReconciliationJob.reconcileUid(c)))
                .toList();
        if (!reconciled.isEmpty()) {
            known = true;
            out.append("Job: reconciliation (max parallelism ")
                    .append(maxParallelism(metadata, ReconciliationJob.reconcileUid(reconciled.get(0))))
                    .append(")\n");
            reconciliation(savepoint, reconciled, out);
        }
        if (!known) {
            out.append("No paystream job's state in it: none of the operators ")
                    .append(List.of(
                            PAYMENT_TIMEOUTS,
                            STOCK_LEDGER,
                            ORDER_DOCUMENTS,
                            ReconciliationJob.reconcileUid(PaymentChannel.WECHAT)))
                    .append(" (")
                    .append(metadata.getOperatorStates().size())
                    .append(" operator states)\n");
        }
        return out.toString();
    }

    // --- payments -------------------------------------------------------------------------------

    private static final ValueStateDescriptor<PaymentWatch> PAYMENT_WATCH =
            readEverything(PaymentTimeouts.watchDescriptor());
    private static final ListStateDescriptor<PaymentNotification> AWAITING_ROW =
            readEverything(new ListStateDescriptor<>(PaymentTimeouts.AWAITING_ROW_STATE, PaymentNotification.class));
    private static final ValueStateDescriptor<OrderPaymentWatch> ORDER_PAYMENT_WATCH =
            readEverything(new ValueStateDescriptor<>(OrderPaidTimeouts.WATCH_STATE, OrderPaymentWatch.class));

    private static void payments(SavepointReader savepoint, StringBuilder out) throws Exception {
        List<PaymentLine> payments = KeyedStateRows.read(
                savepoint,
                PAYMENT_TIMEOUTS,
                Types.STRING,
                PaymentLine.class,
                PaymentLine::of,
                PAYMENT_WATCH,
                AWAITING_ROW);
        // Open payments by their next deadline, the most urgent first.
        list(
                out,
                "Open payments (PAYING, re-queries pending)",
                payments,
                p -> p.paying,
                PaymentLine.BY_DEADLINE,
                PaymentLine::openLine);
        list(
                out,
                "Remembered settled payments (resent callbacks are dropped)",
                payments,
                p -> p.hasRow && !p.paying,
                PaymentLine.BY_ID,
                PaymentLine::rememberedLine);
        out.append("Callbacks waiting for their payment row: ")
                .append(payments.stream().mapToLong(p -> p.notificationsWaiting).sum())
                .append('\n');
        List<OrderLine> orders = KeyedStateRows.read(
                savepoint, ORDER_PAID_TIMEOUTS, Types.LONG, OrderLine.class, OrderLine::of, ORDER_PAYMENT_WATCH);
        list(
                out,
                "Orders paid but not marked PAID (re-notify pending)",
                orders,
                o -> o.watching,
                Comparator.comparingLong(o -> o.orderId),
                OrderLine::line);
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

        static final Comparator<PaymentLine> BY_ID = Comparator.comparing(p -> p.paymentId);
        static final Comparator<PaymentLine> BY_DEADLINE =
                Comparator.comparingLong((PaymentLine p) -> p.nextDeadline).thenComparing(BY_ID);

        public PaymentLine() {}

        static PaymentLine of(String key, KeyedStateRows.KeyState state) throws Exception {
            PaymentWatch w = state.value(PAYMENT_WATCH);
            PaymentLine p = new PaymentLine();
            p.paymentId = key;
            p.notificationsWaiting = state.count(AWAITING_ROW);
            if (w == null) {
                return p; // one row for every key (EVERY_KEY)
            }
            p.phase = w.phase().name();
            p.hasRow = !w.isAwaitingRow();
            p.paying = w.isRequerying();
            p.orderId = w.orderId;
            p.channel = name(w.channel);
            p.amountCents = w.amountCents;
            p.status = name(w.status);
            p.payingSince = w.payingSince;
            p.published = PublishedOutcomes.describe(w.publishedOutcomes);
            Set<Long> timers = state.timers();
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
            return p;
        }

        String openLine() {
            return String.format(
                    "%-20s %-10s order %-10d %-8s %10s  PAYING since %s  next: %s at %s  answers without outcome: %d",
                    paymentId,
                    phase,
                    orderId,
                    channel,
                    Money.yuan(amountCents),
                    time(payingSince),
                    nextStep,
                    time(nextDeadline),
                    answersWithoutOutcome);
        }

        String rememberedLine() {
            return String.format(
                    "%-20s %-10s order %-10d %-8s %10s  %-7s published %s  forget at %s",
                    paymentId, phase, orderId, channel, Money.yuan(amountCents), status, published, time(nextDeadline));
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

        static OrderLine of(Long key, KeyedStateRows.KeyState state) throws Exception {
            OrderPaymentWatch w = state.value(ORDER_PAYMENT_WATCH);
            OrderLine o = new OrderLine();
            o.orderId = key;
            if (w == null) {
                return o; // one row for every key (EVERY_KEY)
            }
            o.watching = w.isRenotifying();
            o.paymentId = w.paymentId;
            o.channel = name(w.channel);
            o.amountCents = w.amountCents;
            o.successAt = w.successAt;
            o.nextAttempt = w.nextAttempt;
            o.nextDeadline = state.timers().stream().findFirst().orElse(0L);
            return o;
        }

        String line() {
            return String.format(
                    "order %-10d payment %-20s %-8s %10s  paid at %s  next: re-notify %d at %s",
                    orderId,
                    paymentId,
                    channel,
                    Money.yuan(amountCents),
                    time(successAt),
                    nextAttempt,
                    time(nextDeadline));
        }
    }

    // --- stock-ledger ---------------------------------------------------------------------------

    private static final ValueStateDescriptor<SkuLedger> SKU_LEDGER = StockLedger.ledgerDescriptor();
    private static final MapStateDescriptor<Long, SkuHolding> SKU_HOLDINGS = StockLedger.holdingsDescriptor();
    private static final ValueStateDescriptor<OrderStockState> ORDER_STOCK_STATE =
            readEverything(OrderStock.orderStateDescriptor());

    private static void stock(SavepointReader savepoint, CheckpointMetadata metadata, StringBuilder out)
            throws Exception {
        List<SkuLine> skus = KeyedStateRows.read(
                savepoint, STOCK_LEDGER, Types.LONG, SkuLine.class, SkuLine::of, SKU_LEDGER, SKU_HOLDINGS);
        list(out, "Stock per SKU", skus, s -> s.known, Comparator.comparingLong(s -> s.skuId), SkuLine::line);
        if (has(metadata, ORDER_STOCK)) {
            List<UnpaidOrderLine> orders = KeyedStateRows.read(
                    savepoint, ORDER_STOCK, Types.LONG, UnpaidOrderLine.class, UnpaidOrderLine::of, ORDER_STOCK_STATE);
            list(
                    out,
                    "Unpaid orders waiting for their expiry",
                    orders,
                    o -> o.open,
                    Comparator.comparingLong(o -> o.orderId),
                    UnpaidOrderLine::line);
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

        static SkuLine of(Long key, KeyedStateRows.KeyState state) throws Exception {
            SkuLedger l = state.value(SKU_LEDGER);
            SkuLine s = new SkuLine();
            s.skuId = key;
            if (l == null) {
                return s; // holdings of a SKU whose ledger is gone: one row for every key (EVERY_KEY)
            }
            s.known = true;
            s.total = l.stock;
            s.reserved = l.reserved();
            s.sold = l.paidUnits;
            s.mode = (l.mode == null ? DeductMode.ORDER : l.mode).name();
            s.perUserLimit = l.perUserLimit;
            // Live entries only: a released order the ledger raised an alert for stays, holding
            // nothing, until it is retired (StockLedger).
            for (SkuHolding h : state.values(SKU_HOLDINGS)) {
                if (h.liveUnits() > 0) {
                    s.ordersHolding++;
                }
            }
            return s;
        }

        String line() {
            return String.format(
                    "SKU %-10d total %6d  reserved %6d  sold %6d  available %6d  mode %-7s  limit %-5s  orders holding %d",
                    skuId,
                    total,
                    reserved,
                    sold,
                    total - reserved - sold,
                    mode,
                    perUserLimit == null ? "none" : perUserLimit,
                    ordersHolding);
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

        static UnpaidOrderLine of(Long key, KeyedStateRows.KeyState state) throws Exception {
            OrderStockState s = state.value(ORDER_STOCK_STATE);
            UnpaidOrderLine o = new UnpaidOrderLine();
            o.orderId = key;
            o.open = s != null && s.orderPhase().expiryDue() && s.phase == HoldingPhase.OPEN;
            if (!o.open) {
                return o; // one row for every key: see EVERY_KEY
            }
            o.phase = s.orderPhase().name();
            o.userId = s.userId;
            o.createdAt = s.createdAtMs;
            o.expiryAt = s.expiryCheckAt;
            return o;
        }

        String line() {
            return String.format(
                    "order %-10d user %-10d %-14s created %s  expires at %s",
                    orderId, userId, phase, time(createdAt), time(expiryAt));
        }
    }

    // --- order-search ---------------------------------------------------------------------------

    private static final ValueStateDescriptor<OrderDocumentState> DOCUMENT_HEAD =
            new ValueStateDescriptor<>(OrderDocuments.ORDER_STATE, OrderDocumentState.class);
    private static final MapStateDescriptor<Long, OrderItemRow> DOCUMENT_ITEMS =
            new MapStateDescriptor<>(OrderDocuments.ITEMS_STATE, Types.LONG, TypeInformation.of(OrderItemRow.class));

    private static void orderDocuments(SavepointReader savepoint, StringBuilder out) throws Exception {
        List<DocumentLine> docs = KeyedStateRows.read(
                savepoint,
                ORDER_DOCUMENTS,
                Types.LONG,
                DocumentLine.class,
                DocumentLine::of,
                DOCUMENT_HEAD,
                DOCUMENT_ITEMS);
        long held = docs.stream().filter(d -> d.hasOrder).count();
        long deleted = docs.stream().filter(d -> d.deleted).count();
        long items = docs.stream().mapToLong(d -> d.items).sum();
        out.append("Order documents held: ")
                .append(held)
                .append(" (")
                .append(items)
                .append(" items in all)\n");
        out.append("Deleted orders kept as tombstones: ").append(deleted).append('\n');
        out.append("Items or payments waiting for their order row: ")
                .append(docs.size() - held - deleted)
                .append('\n');
    }

    /** One order key of the document join. */
    public static class DocumentLine {
        public long orderId;
        public boolean hasOrder;
        public boolean deleted;
        public int items;

        public DocumentLine() {}

        static DocumentLine of(Long key, KeyedStateRows.KeyState state) throws Exception {
            OrderDocumentState s = state.value(DOCUMENT_HEAD);
            DocumentLine d = new DocumentLine();
            d.orderId = key;
            d.hasOrder = s != null && s.order != null && !s.deleted;
            d.deleted = s != null && s.deleted;
            d.items = state.count(DOCUMENT_ITEMS);
            return d;
        }
    }

    // --- reconciliation ---------------------------------------------------------------------------

    private static final ValueStateDescriptor<ReconcileKeyState> RECONCILE_KEY =
            readEverything(new ValueStateDescriptor<>(BillReconciliation.KEY_STATE, ReconcileKeyState.class));

    /** Per channel: what is still open (nothing published yet) and what is settled and remembered. */
    private static void reconciliation(SavepointReader savepoint, List<PaymentChannel> channels, StringBuilder out)
            throws Exception {
        for (PaymentChannel channel : channels) {
            List<ReconcileLine> keys = KeyedStateRows.read(
                    savepoint,
                    ReconciliationJob.reconcileUid(channel),
                    Types.STRING,
                    ReconcileLine.class,
                    ReconcileLine::of,
                    RECONCILE_KEY);
            Comparator<ReconcileLine> byId = Comparator.comparing(r -> r.id);
            list(
                    out,
                    channel + ": bill lines and shop records not reconciled yet",
                    keys,
                    r -> r.known && r.published == null,
                    byId,
                    ReconcileLine::openLine);
            list(
                    out,
                    channel + ": reconciled, remembered against bill lines and rows read again",
                    keys,
                    r -> r.known && r.published != null,
                    byId,
                    ReconcileLine::settledLine);
        }
    }

    /** A payment's or refund's reconciliation on one channel. */
    public static class ReconcileLine {
        public String id;
        public boolean known;
        /** Null while nothing was published. */
        public String published;
        /** The bill's amount, null without a bill line; the bill's day and file. */
        public String billAmount;

        public String billDate;
        public String billFile;
        /** The shop's amount and status, null without a shop record. */
        public String shopAmount;

        public String shopStatus;
        public boolean awaitingShop;
        public long confirmAt;
        public long forgetAt;

        public ReconcileLine() {}

        static ReconcileLine of(String key, KeyedStateRows.KeyState state) throws Exception {
            ReconcileKeyState s = state.value(RECONCILE_KEY);
            ReconcileLine r = new ReconcileLine();
            r.id = key;
            if (s == null) {
                return r; // one row for every key (EVERY_KEY)
            }
            r.known = true;
            r.published = s.published == null ? null : s.published.name();
            if (s.bill != null) {
                r.billAmount = Money.yuan(s.bill.amountFen);
                r.billDate = s.bill.billDate;
                r.billFile = s.bill.sourceFile + ":" + s.bill.lineNumber;
            }
            if (s.shop != null) {
                r.shopAmount = Money.yuan(s.shop.amountFen);
                r.shopStatus = s.shop.deleted ? "deleted" : name(s.shop.status);
            }
            r.awaitingShop = s.awaitingShop;
            r.confirmAt = s.confirmAt;
            r.forgetAt = s.forgetAt;
            return r;
        }

        String openLine() {
            return String.format("%-20s %s  %s  %s", id, bill(), shop(), waitsFor());
        }

        String settledLine() {
            return String.format(
                    "%-20s %-16s %s  %s  forget at %s (bill time)", id, published, bill(), shop(), time(forgetAt));
        }

        private String waitsFor() {
            if (awaitingShop) {
                // The bill and the shop disagree; the shop's row may still be on its way.
                return "waits for the shop's row, published as a discrepancy at " + time(confirmAt) + " if none comes";
            }
            if (billAmount != null && shopAmount == null) {
                return "waits for the shop's row";
            }
            if ("SUCCESS".equals(shopStatus)) {
                return "waits for a bill line (LOCAL_ONLY after the pending days)";
            }
            return "not settled in the shop: nothing to reconcile until it succeeds or a bill carries it";
        }

        private String bill() {
            return billAmount == null ? "bill: none" : "bill " + billAmount + " (" + billDate + ", " + billFile + ")";
        }

        private String shop() {
            return shopAmount == null ? "shop: none" : "shop " + shopAmount + " " + shopStatus;
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

    /** {@code d}, declared with the TTL of {@link #readEverything()}, as the job declares its TTL. */
    private static <D extends StateDescriptor<?, ?>> D readEverything(D d) {
        d.enableTimeToLive(readEverything());
        return d;
    }

    /** A section: its title and how many rows it keeps, then the first {@link #LISTED} of them in order, one line each. */
    private static <T> void list(
            StringBuilder out,
            String title,
            List<T> rows,
            Predicate<T> keep,
            Comparator<T> order,
            Function<T, String> line) {
        List<T> kept = rows.stream().filter(keep).sorted(order).toList();
        out.append(title).append(": ").append(kept.size()).append('\n');
        for (T row : first(kept, out)) {
            out.append("  ").append(line.apply(row)).append('\n');
        }
    }

    private static String name(Enum<?> value) {
        return value == null ? "?" : value.name();
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

    static String time(long epochMs) {
        return epochMs <= 0 ? "-" : Instant.ofEpochMilli(epochMs).toString();
    }
}
