package io.paystream.jobs.search;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.JsonRecordSerializer;
import io.paystream.jobs.mapping.SearchField;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.search.OrderDocumentWrite;
import io.paystream.state.shop.ExtraColumn;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes order documents to Elasticsearch in bulks and emits, as its output, a dead letter for each
 * document Elasticsearch refuses. Why an operator and not the connector's sink: the 3.0.1
 * {@code ElasticsearchSink} fails the job on any failed item (a version conflict and a mapping
 * error alike) and on an unreachable node, and a Flink sink has no output to route refusals to.
 *
 * <ul>
 *   <li><b>Idempotent.</b> Every write carries its document's binlog version as an external
 *       version ({@code EXTERNAL_GTE}): an older write arriving late gets 409, counted as stale
 *       and dropped. Writes of one order leave in the order they were made: up to {@code
 *       search.bulk.max-in-flight} bulks in flight, but no order in two of them (a newer write of
 *       an order waits for its older one's answer), and a retried write yields to a newer one of
 *       the same order waiting behind it. Equal versions are accepted, which is why the order of
 *       an order's writes matters, not only their versions.</li>
 *   <li><b>At least once.</b> Before each checkpoint barrier every write is acknowledged; after a
 *       restore the join re-emits what followed the checkpoint, and the versions absorb it.</li>
 *   <li><b>Back-pressure, no loss.</b> A bulk Elasticsearch cannot take (unreachable, 429, 5xx)
 *       is retried with exponential backoff, forever; meanwhile at most the bulks in flight wait,
 *       so the job slows down instead of buffering without bound.</li>
 *   <li><b>Coalescing.</b> Writes of one order waiting for the same bulk collapse into the newest.</li>
 * </ul>
 *
 * <p>Runs in the task thread only: Elasticsearch's answers come back through the mailbox.
 */
public final class OrderIndexWriter extends AbstractStreamOperator<DeadLetter>
        implements OneInputStreamOperator<OrderDocumentWrite, DeadLetter>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final long NONE = Long.MAX_VALUE;
    private static final Logger LOGGER = LoggerFactory.getLogger(OrderIndexWriter.class);

    private final String hosts;
    private final String index;
    private final int maxActions;
    private final int maxInFlight;
    private final long maxBytes;
    private final long flushIntervalMs;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final String jobName;
    /** The extra order columns' document names and Elasticsearch types (the mapping's search-fields). */
    private final LinkedHashMap<String, String> extraFields;

    private transient MailboxExecutor mailbox;
    private transient RestClient client;
    private transient ObjectWriter json;
    /** Writes not sent yet, one per order (the newest), in arrival order. */
    private transient LinkedHashMap<Long, OrderDocumentWrite> pending;
    /** The bulks sent and not yet acknowledged, or waiting for their retry. */
    private transient List<Bulk> inFlight;
    /** The orders with a write in one of {@link #inFlight}: their newer writes wait in {@link #pending}. */
    private transient java.util.Set<Long> ordersInFlight;

    private transient boolean flushTimerSet;
    private transient boolean flushDue;
    private transient boolean draining;

    private transient Counter documentsWritten;
    private transient Counter staleWritesIgnored;
    private transient Counter documentsRejected;
    private transient Counter bulkRetries;
    private transient Histogram writeLagMs;
    /** Oldest change time in the bulk in flight (NONE: nothing in flight); read by the metric thread. */
    private transient volatile long inFlightSince;

    private transient volatile long lastLagMs;

    private OrderIndexWriter(Builder b) {
        this.hosts = b.hosts;
        this.index = b.index;
        this.maxActions = b.bulkMaxActions;
        this.maxInFlight = b.bulkMaxInFlight;
        this.maxBytes = b.bulkMaxBytes;
        this.flushIntervalMs = b.bulkFlushInterval.toMillis();
        this.initialBackoffMs = b.retryInitialBackoff.toMillis();
        this.maxBackoffMs = b.retryMaxBackoff.toMillis();
        this.jobName = b.jobName;
        this.extraFields = new LinkedHashMap<>(b.extraFields);
    }

    /** A writer with the defaults of the settings; every value is checked by {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The writer the settings describe; throws {@link InvalidSettingsException} naming each bad setting. */
    public static OrderIndexWriter fromSettings(Settings settings, String jobName) {
        return builder()
                .hosts(settings.get(PaystreamOptions.ELASTICSEARCH_HOSTS))
                .index(settings.get(OrderSearchOptions.INDEX))
                .bulkMaxActions(settings.get(OrderSearchOptions.BULK_MAX_ACTIONS))
                .bulkMaxInFlight(settings.get(OrderSearchOptions.BULK_MAX_IN_FLIGHT))
                .bulkMaxBytes(settings.get(OrderSearchOptions.BULK_MAX_SIZE).getBytes())
                .bulkFlushInterval(settings.get(OrderSearchOptions.BULK_FLUSH_INTERVAL))
                .retryInitialBackoff(settings.get(OrderSearchOptions.RETRY_INITIAL_BACKOFF))
                .retryMaxBackoff(settings.get(OrderSearchOptions.RETRY_MAX_BACKOFF))
                .jobName(jobName)
                .extraFields(extraFieldsOf(ShopMapping.load(settings, System.getenv())))
                .build();
    }

    /** The document names and types of the mapping's extra order columns. */
    static Map<String, String> extraFieldsOf(ShopMapping mapping) {
        Map<String, String> out = new LinkedHashMap<>();
        for (SearchField f : mapping.searchFields()) {
            out.put(f.name, f.type);
        }
        return out;
    }

    /**
     * The writer's options, one per setting, defaulting to the settings' defaults. {@link #build()}
     * checks them all and names the setting of each bad one.
     */
    public static final class Builder {
        private String hosts = PaystreamOptions.ELASTICSEARCH_HOSTS.defaultValue();
        private String index = OrderSearchOptions.INDEX.defaultValue();
        private int bulkMaxActions = OrderSearchOptions.BULK_MAX_ACTIONS.defaultValue();
        private int bulkMaxInFlight = OrderSearchOptions.BULK_MAX_IN_FLIGHT.defaultValue();
        private long bulkMaxBytes =
                OrderSearchOptions.BULK_MAX_SIZE.defaultValue().getBytes();
        private Duration bulkFlushInterval = OrderSearchOptions.BULK_FLUSH_INTERVAL.defaultValue();
        private Duration retryInitialBackoff = OrderSearchOptions.RETRY_INITIAL_BACKOFF.defaultValue();
        private Duration retryMaxBackoff = OrderSearchOptions.RETRY_MAX_BACKOFF.defaultValue();
        private String jobName;
        private Map<String, String> extraFields = Map.of();

        private Builder() {}

        /** Extra order columns the documents carry under {@code extra}: name to Elasticsearch type. */
        public Builder extraFields(Map<String, String> v) {
            this.extraFields = v;
            return this;
        }

        /** {@code elasticsearch.hosts}: comma-separated URLs. */
        public Builder hosts(String v) {
            this.hosts = v;
            return this;
        }

        /** {@code search.index}. */
        public Builder index(String v) {
            this.index = v;
            return this;
        }

        /** {@code search.bulk.max-actions}. */
        public Builder bulkMaxActions(int v) {
            this.bulkMaxActions = v;
            return this;
        }

        /** {@code search.bulk.max-in-flight}. */
        public Builder bulkMaxInFlight(int v) {
            this.bulkMaxInFlight = v;
            return this;
        }

        /** {@code search.bulk.max-size}, in bytes. */
        public Builder bulkMaxBytes(long v) {
            this.bulkMaxBytes = v;
            return this;
        }

        /** {@code search.bulk.flush-interval}. */
        public Builder bulkFlushInterval(Duration v) {
            this.bulkFlushInterval = v;
            return this;
        }

        /** {@code search.retry.initial-backoff}. */
        public Builder retryInitialBackoff(Duration v) {
            this.retryInitialBackoff = v;
            return this;
        }

        /** {@code search.retry.max-backoff}. */
        public Builder retryMaxBackoff(Duration v) {
            this.retryMaxBackoff = v;
            return this;
        }

        /** The job's stable name, in the dead letters. */
        public Builder jobName(String v) {
            this.jobName = v;
            return this;
        }

        /** Checks every option; throws {@link InvalidSettingsException} naming the setting of each bad one. */
        public OrderIndexWriter build() {
            List<String> problems = new ArrayList<>();
            try {
                OrderIndex.hosts(hosts);
            } catch (IllegalArgumentException e) {
                problems.add("setting '" + PaystreamOptions.ELASTICSEARCH_HOSTS.key() + "' = '" + hosts + "': "
                        + e.getMessage());
            }
            if (index == null
                    || index.isBlank()
                    || !index.equals(index.toLowerCase())
                    || index.startsWith("_")
                    || index.contains(",")
                    || index.contains(" ")) {
                problems.add("setting '" + OrderSearchOptions.INDEX.key() + "' = '" + index
                        + "' is not a valid Elasticsearch index name");
            }
            if (bulkMaxActions < 1) {
                problems.add("setting '" + OrderSearchOptions.BULK_MAX_ACTIONS.key() + "' must be at least 1");
            }
            if (bulkMaxInFlight < 1) {
                problems.add("setting '" + OrderSearchOptions.BULK_MAX_IN_FLIGHT.key() + "' must be at least 1");
            }
            if (bulkMaxBytes < 1024) {
                problems.add("setting '" + OrderSearchOptions.BULK_MAX_SIZE.key() + "' must be at least 1 kb");
            }
            positive(OrderSearchOptions.BULK_FLUSH_INTERVAL, bulkFlushInterval, problems);
            positive(OrderSearchOptions.RETRY_INITIAL_BACKOFF, retryInitialBackoff, problems);
            positive(OrderSearchOptions.RETRY_MAX_BACKOFF, retryMaxBackoff, problems);
            if (jobName == null || jobName.isBlank()) {
                problems.add("the index writer needs the job's name");
            }
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
            return new OrderIndexWriter(this);
        }

        private static void positive(ConfigOption<Duration> option, Duration d, List<String> problems) {
            if (d == null || d.isNegative() || d.isZero()) {
                problems.add("setting '" + option.key() + "' must be positive, got " + d);
            }
        }
    }

    @Override
    public void setMailboxExecutor(MailboxExecutor mailboxExecutor) {
        super.setMailboxExecutor(mailboxExecutor);
        this.mailbox = mailboxExecutor;
    }

    @Override
    public void open() throws Exception {
        super.open();
        client = OrderIndex.client(hosts);
        ensureIndex();
        json = documentMapper().writer();
        pending = new LinkedHashMap<>();
        inFlight = new ArrayList<>();
        ordersInFlight = new java.util.HashSet<>();
        inFlightSince = NONE;
        var metrics = getRuntimeContext().getMetricGroup();
        documentsWritten = metrics.counter("documentsWritten");
        staleWritesIgnored = metrics.counter("staleWritesIgnored");
        documentsRejected = metrics.counter("documentsRejected");
        bulkRetries = metrics.counter("bulkRetries");
        writeLagMs = metrics.histogram("writeLagMs", new DescriptiveStatisticsHistogram(10_000));
        metrics.gauge("freshnessLagMs", this::freshnessLagMs);
    }

    /**
     * Installs the template and creates the index if missing. Elasticsearch may be down right now
     * (this very restart may come from a checkpoint that timed out during an outage): wait for it
     * with the retry backoff instead of failing, which would only burn the restart attempts.
     */
    private void ensureIndex() throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                OrderIndex.ensure(client, index, extraFields);
                return;
            } catch (java.io.IOException e) {
                if (BulkOutcome.ofRequest(e) == BulkOutcome.FATAL) {
                    throw e;
                }
                long backoff = Math.min(maxBackoffMs, initialBackoffMs << Math.min(attempt - 1, 20));
                LOGGER.warn("Elasticsearch unavailable at start ({}): retrying in {} ms", e.toString(), backoff);
                Thread.sleep(backoff); // the task is starting: there is nothing else to run yet
            }
        }
    }

    @Override
    public void processElement(StreamRecord<OrderDocumentWrite> element) throws Exception {
        // The join creates a new write object per emission, so keeping it until sent is safe.
        OrderDocumentWrite w = element.getValue();
        OrderDocumentWrite older = pending.put(w.orderId, w);
        if (older != null) {
            // Superseded before it left: the newer write carries the older change's time, so
            // freshness is measured from the first change it stands for.
            w.changedAt = Math.min(w.changedAt, older.changedAt);
        }
        scheduleFlush();
        while (pending.size() >= maxActions) {
            maybeSend();
            if (pending.size() >= maxActions) {
                mailbox.yield(); // back-pressure: wait for the bulk in flight
            }
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushAll(); // every write before the barrier is acknowledged: at-least-once
    }

    @Override
    public void endInput() throws Exception {
        flushAll();
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            super.close();
        }
    }

    private void flushAll() throws InterruptedException {
        draining = true;
        try {
            while (!pending.isEmpty() || !inFlight.isEmpty()) {
                maybeSend();
                if (!pending.isEmpty() || !inFlight.isEmpty()) {
                    mailbox.yield();
                }
            }
        } finally {
            draining = false;
        }
    }

    private void scheduleFlush() {
        if (!flushTimerSet && !pending.isEmpty()) {
            flushTimerSet = true;
            long at = getProcessingTimeService().getCurrentProcessingTime() + flushIntervalMs;
            getProcessingTimeService().registerTimer(at, t -> {
                flushTimerSet = false;
                flushDue = true;
                maybeSend();
            });
        }
    }

    /** One bulk sent and not yet acknowledged, or waiting for its retry. */
    private static final class Bulk {
        List<OrderDocumentWrite> writes;
        /** Oldest change time among its writes. */
        long since = NONE;

        int failedAttempts;

        Bulk(List<OrderDocumentWrite> writes) {
            this.writes = writes;
        }
    }

    /**
     * Sends bulks while fewer than {@code maxInFlight} are out and writes are due (a full bulk's
     * worth, the flush interval passed, or draining). A write whose order has one in flight stays
     * pending: it is sent after that one's answer.
     */
    private void maybeSend() {
        while (inFlight.size() < maxInFlight
                && !pending.isEmpty()
                && (flushDue || draining || pending.size() >= maxActions)) {
            List<OrderDocumentWrite> batch = new ArrayList<>(Math.min(pending.size(), maxActions));
            OrderBulk bulk = new OrderBulk(index);
            Iterator<OrderDocumentWrite> it = pending.values().iterator();
            while (it.hasNext() && batch.size() < maxActions && bulk.sizeInBytes() < maxBytes) {
                OrderDocumentWrite w = it.next();
                if (ordersInFlight.contains(w.orderId)) {
                    continue; // its order's older write is in flight: this one goes after its answer
                }
                it.remove();
                batch.add(w);
                add(bulk, w);
            }
            if (batch.isEmpty()) {
                break; // every pending write waits for its order's write in flight
            }
            if (pending.isEmpty()) {
                flushDue = false;
            }
            Bulk b = new Bulk(batch);
            inFlight.add(b);
            send(b, bulk);
        }
        scheduleFlush(); // for what is left behind
    }

    private void send(Bulk b, OrderBulk bulk) {
        List<OrderDocumentWrite> batch = b.writes;
        long since = NONE;
        for (OrderDocumentWrite w : batch) {
            since = Math.min(since, w.changedAt);
            ordersInFlight.add(w.orderId);
        }
        b.since = since;
        updateInFlightSince();
        client.performRequestAsync(bulk.request(), new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                byte[] answer;
                try {
                    answer = EntityUtils.toByteArray(response.getEntity());
                } catch (IOException | RuntimeException e) {
                    onFailure(e instanceof Exception ? (Exception) e : new IOException(e));
                    return;
                }
                toMailbox(() -> acknowledged(b, answer), "order index bulk response");
            }

            @Override
            public void onFailure(Exception e) {
                toMailbox(() -> failed(b, e), "order index bulk failure");
            }
        });
    }

    private void updateInFlightSince() {
        long since = NONE;
        for (Bulk b : inFlight) {
            since = Math.min(since, b.since);
        }
        inFlightSince = since;
    }

    /** The bulk is done with: its orders' waiting writes may go. */
    private void settled(Bulk b) {
        inFlight.remove(b);
        for (OrderDocumentWrite w : b.writes) {
            ordersInFlight.remove(w.orderId);
        }
        updateInFlightSince();
        maybeSend();
    }

    private void toMailbox(Runnable action, String description) {
        try {
            mailbox.execute(action::run, description);
        } catch (RejectedExecutionException closing) {
            // The task is shutting down: what was in flight is replayed from the last checkpoint.
        }
    }

    private void acknowledged(Bulk b, byte[] answer) {
        List<OrderDocumentWrite> batch = b.writes;
        OrderBulk.Item[] items;
        try {
            items = OrderBulk.items(answer, batch.size());
        } catch (IOException e) {
            // An answer that cannot be read says nothing about any write: send the bulk again.
            failed(b, e);
            return;
        }
        long now = System.currentTimeMillis();
        long lag = -1;
        List<OrderDocumentWrite> retry = null;
        for (int i = 0; i < batch.size(); i++) {
            OrderDocumentWrite w = batch.get(i);
            OrderBulk.Item item = items == null ? null : items[i];
            BulkOutcome outcome =
                    item == null || item.error == null ? BulkOutcome.APPLIED : BulkOutcome.ofItem(item.status);
            switch (outcome) {
                case APPLIED:
                    documentsWritten.inc();
                    long l = Math.max(0, now - w.changedAt);
                    writeLagMs.update(l);
                    lag = Math.max(lag, l);
                    break;
                case STALE:
                    staleWritesIgnored.inc();
                    break;
                case RETRY:
                    if (retry == null) {
                        retry = new ArrayList<>();
                    }
                    retry.add(w);
                    break;
                default:
                    documentsRejected.inc();
                    output.collect(new StreamRecord<>(deadLetter(w, item), now));
            }
        }
        if (lag >= 0) {
            lastLagMs = lag;
        }
        if (retry != null) {
            // The applied and refused ones are done: their orders' next writes may go.
            for (OrderDocumentWrite w : batch) {
                ordersInFlight.remove(w.orderId);
            }
            b.writes = retry;
            retry.forEach(w -> ordersInFlight.add(w.orderId));
            retryLater(b);
        } else {
            settled(b);
        }
    }

    private void failed(Bulk b, Exception e) {
        if (BulkOutcome.ofRequest(e) == BulkOutcome.FATAL) {
            throw new IllegalStateException(
                    "Elasticsearch refused the bulk request to index " + index
                            + " (check elasticsearch.hosts and the user's permissions)",
                    e);
        }
        if (b.failedAttempts == 0) {
            LOGGER.warn(
                    "Elasticsearch unavailable ({}): retrying {} writes with backoff", e.toString(), b.writes.size());
        }
        retryLater(b);
    }

    /** Keeps the writes in flight (so nothing of their orders overtakes them) and sends them again after a backoff. */
    private void retryLater(Bulk b) {
        b.failedAttempts++;
        bulkRetries.inc();
        long backoff = Math.min(maxBackoffMs, initialBackoffMs << Math.min(b.failedAttempts - 1, 20));
        long at = getProcessingTimeService().getCurrentProcessingTime() + backoff;
        getProcessingTimeService().registerTimer(at, t -> resend(b));
    }

    private void resend(Bulk b) {
        List<OrderDocumentWrite> batch = new ArrayList<>(b.writes.size());
        OrderBulk bulk = new OrderBulk(index);
        for (OrderDocumentWrite w : b.writes) {
            OrderDocumentWrite newer = pending.get(w.orderId);
            if (newer != null) {
                // A newer write of this order is waiting: it replaces this one.
                newer.changedAt = Math.min(newer.changedAt, w.changedAt);
                ordersInFlight.remove(w.orderId);
                continue;
            }
            batch.add(w);
            add(bulk, w);
        }
        if (batch.isEmpty()) {
            b.writes = batch;
            settled(b);
        } else {
            b.writes = batch;
            send(b, bulk);
        }
    }

    private void add(OrderBulk bulk, OrderDocumentWrite w) {
        bulk.add(w, w.isDelete() ? null : toJson(w));
    }

    /**
     * The JSON of order documents: the Kafka messages' mapper, with the extra order columns written
     * as the object {@code "extra": {"<name>": "<value>", ...}} the index maps them by.
     */
    static ObjectMapper documentMapper() {
        SimpleModule extras = new SimpleModule("order-document-extras");
        extras.addSerializer(ExtraColumn[].class, new JsonSerializer<ExtraColumn[]>() {
            @Override
            public void serialize(ExtraColumn[] columns, JsonGenerator gen, SerializerProvider provider)
                    throws IOException {
                gen.writeStartObject();
                for (ExtraColumn c : columns) {
                    if (c.value != null) {
                        gen.writeStringField(c.name, c.value);
                    }
                }
                gen.writeEndObject();
            }
        });
        return JsonRecordSerializer.mapper().copy().registerModule(extras);
    }

    private byte[] toJson(OrderDocumentWrite w) {
        try {
            return json.writeValueAsBytes(w.document);
        } catch (JsonProcessingException e) {
            // Strings, numbers and arrays of them: this cannot fail short of a bug.
            throw new IllegalStateException("cannot write order " + w.orderId + " as JSON", e);
        }
    }

    private DeadLetter deadLetter(OrderDocumentWrite w, OrderBulk.Item failure) {
        String raw = w.isDelete()
                ? "delete order " + w.orderId + " at version " + w.version
                : new String(toJson(w), java.nio.charset.StandardCharsets.UTF_8);
        DeadLetter dl = new DeadLetter(
                "es:" + index + "/" + w.orderId,
                "Elasticsearch " + failure.status + ": " + failure.error,
                raw,
                System.currentTimeMillis());
        dl.job = jobName;
        return dl;
    }

    /** Commit to acknowledgement of the last bulk, or, while one is outstanding, of its oldest change. */
    private long freshnessLagMs() {
        long since = inFlightSince;
        long last = lastLagMs;
        return since == NONE ? last : Math.max(last, System.currentTimeMillis() - since);
    }
}
