package io.paystream.sandbox.bills;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paystream.channels.bills.AlipayTradeBillWriter;
import io.paystream.channels.bills.BillEntry;
import io.paystream.channels.bills.BillWriting;
import io.paystream.channels.bills.WechatTradeBillWriter;
import io.paystream.sandbox.bills.InjectedDiscrepancy.Kind;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.shop.PaymentChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated channels' daily trade bills in the sandbox: a few seconds ({@code delay}, for late
 * notifications) after each compressed bill day of {@link #calendar()} ends, WeChat Pay's and
 * Alipay's bill of that day go into {@link #directory()} ({@code WECHAT_<date>.csv}, {@code
 * ALIPAY_<date>.zip}; UnionPay has none), from what each channel decided ({@link ChannelBook}):
 * every payment it charged, whether or not the shop learned of it, and every refund.
 *
 * <p>Each bill carries discrepancies put in on purpose, one of each class per channel per day where
 * the day has what it takes ({@link InjectedDiscrepancy.Kind}): CHANNEL_ONLY, LOCAL_ONLY,
 * AMOUNT_MISMATCH, STATUS_MISMATCH; and every third day (0, 3, 6, ...) one bill (WeChat Pay, then
 * Alipay, alternately) states a wrong total. The choice is deterministic from the seed, the day and
 * the day's entries. {@link #injected()} lists them, and {@link #manifest()} (a JSON file, rewritten
 * after each day) says the same to other processes, with the calendar.
 */
public final class SandboxBills implements AutoCloseable {
    /** The channels with a bill, in the order they are written. */
    public static final List<PaymentChannel> CHANNELS = List.of(PaymentChannel.WECHAT, PaymentChannel.ALIPAY);
    /** How many shop statuses a day's injection may look up per channel (it stops at what it needs). */
    static final int LOOKUPS = 40;

    /** The shop's record of a payment, for choosing what to inject: its payments row's status, null if none. */
    @FunctionalInterface
    public interface ShopLookup {
        String paymentStatus(String paymentId) throws Exception;
    }

    /** A bill written. */
    public record WrittenBill(
            PaymentChannel channel, long day, LocalDate date, String file, int lines, boolean wrongTotal) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;
    private final Path manifest;
    private final BillCalendar calendar;
    private final Duration delay;
    private final long seed;
    private final ChannelBook book;
    private final ShopLookup shop;
    private final List<WrittenBill> written = new CopyOnWriteArrayList<>();
    private final List<InjectedDiscrepancy> injected = new CopyOnWriteArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastError;
    private ScheduledExecutorService scheduler;

    SandboxBills(
            Path directory,
            Path manifest,
            BillCalendar calendar,
            Duration delay,
            long seed,
            ChannelBook book,
            ShopLookup shop) {
        this.directory = directory;
        this.manifest = manifest;
        this.calendar = calendar;
        this.delay = delay;
        this.seed = seed;
        this.book = book;
        this.shop = shop;
    }

    /**
     * Starts writing bills: day 0 starts at {@code book}'s calendar start. {@code manifest} is the
     * JSON file naming the calendar, the bills written and the discrepancies injected.
     */
    public static SandboxBills start(
            Path directory, Path manifest, Duration delay, long seed, ChannelBook book, ShopLookup shop)
            throws java.io.IOException {
        Files.createDirectories(directory);
        SandboxBills b = new SandboxBills(directory, manifest, book.calendar(), delay, seed, book, shop);
        b.writeManifest();
        b.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-bills");
            t.setDaemon(true);
            return t;
        });
        b.scheduleDay(0);
        return b;
    }

    /** Where the bills go: {@code <work dir>/bills}. */
    public Path directory() {
        return directory;
    }

    /** The JSON file listing the calendar, the bills written and the discrepancies injected. */
    public Path manifest() {
        return manifest;
    }

    /** The bill-day calendar (the reconciliation job's {@link BillCalendar#settings()}). */
    public BillCalendar calendar() {
        return calendar;
    }

    /** The discrepancies injected so far, in the order written. */
    public List<InjectedDiscrepancy> injected() {
        return List.copyOf(injected);
    }

    /** The bills written so far. */
    public List<WrittenBill> written() {
        return List.copyOf(written);
    }

    /** For the status line. */
    public String statusLine() {
        Map<Kind, Integer> byKind = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            byKind.put(k, 0);
        }
        injected.forEach(i -> byKind.merge(i.kind(), 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        b.append("bills: written ").append(written.size());
        if (!written.isEmpty()) {
            WrittenBill last = written.get(written.size() - 1);
            b.append(" (day ")
                    .append(last.day())
                    .append(", last ")
                    .append(last.file())
                    .append(' ');
            b.append(last.lines()).append(" lines)");
        }
        b.append(" | injected ").append(injected.size()).append(": ");
        List<String> parts = new ArrayList<>();
        byKind.forEach((k, n) -> parts.add(k + " " + n));
        b.append(String.join(", ", parts));
        if (book.late() > 0) {
            b.append(" | late decisions dropped ").append(book.late());
        }
        if (errors.get() > 0) {
            b.append(" | bill errors ")
                    .append(errors.get())
                    .append(" (last: ")
                    .append(lastError)
                    .append(')');
        }
        return b.toString();
    }

    private void scheduleDay(long day) {
        long waitMs =
                Duration.between(Instant.now(), calendar.end(day).plus(delay)).toMillis();
        scheduler.schedule(
                () -> {
                    try {
                        writeDay(day);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        lastError = e.toString();
                    } finally {
                        scheduleDay(day + 1);
                    }
                },
                Math.max(0, waitMs),
                TimeUnit.MILLISECONDS);
    }

    /** Writes both channels' bills of {@code day} with their injected discrepancies. */
    void writeDay(long day) throws Exception {
        LocalDate date = calendar.date(day);
        try {
            for (PaymentChannel channel : CHANNELS) {
                writeBill(channel, day, date, book.take(day, channel));
            }
        } finally {
            book.dayTaken(day);
            writeManifest();
        }
    }

    private void writeBill(PaymentChannel channel, long day, LocalDate date, List<BillEntry> entries) throws Exception {
        String file = BillFiles.name(channel, date);
        Random random = new Random(seed * 1_000_003L + day * 31 + channel.ordinal());
        List<BillEntry> lines = new ArrayList<>(entries);
        List<InjectedDiscrepancy> found = new ArrayList<>();
        Instant start = calendar.start(day);
        long dayMs = calendar.dayLength().toMillis();

        // Payments the shop has SUCCESS (a final status): for LOCAL_ONLY, AMOUNT_MISMATCH and (WeChat
        // Pay) STATUS_MISMATCH.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).kind() == BillLineKind.PAYMENT) {
                order.add(i);
            }
        }
        Collections.shuffle(order, random);
        int wanted = channel == PaymentChannel.WECHAT ? 3 : 2;
        List<Integer> succeeded = new ArrayList<>();
        for (int i = 0; i < order.size() && i < LOOKUPS && succeeded.size() < wanted; i++) {
            if ("SUCCESS".equals(shop.paymentStatus(lines.get(order.get(i)).paymentId()))) {
                succeeded.add(order.get(i));
            }
        }
        Integer omitted = null;
        if (succeeded.size() > 0) {
            int i = succeeded.get(0);
            BillEntry e = lines.get(i);
            omitted = i;
            found.add(InjectedDiscrepancy.line(
                    channel,
                    day,
                    date,
                    file,
                    Kind.LOCAL_ONLY,
                    e.paymentId(),
                    "left off the bill: charged " + e.amountFen() + " fen at " + e.tradeTime()
                            + ", the shop has SUCCESS"));
        }
        if (succeeded.size() > 1) {
            int i = succeeded.get(1);
            BillEntry e = lines.get(i);
            long wrong = e.amountFen() + 1 + random.nextInt(99);
            lines.set(i, e.withAmount(wrong));
            found.add(InjectedDiscrepancy.line(
                    channel,
                    day,
                    date,
                    file,
                    Kind.AMOUNT_MISMATCH,
                    e.paymentId(),
                    "the bill says " + wrong + " fen, the channel charged " + e.amountFen() + " fen"));
        }
        if (channel == PaymentChannel.WECHAT && succeeded.size() > 2) {
            int i = succeeded.get(2);
            BillEntry e = lines.get(i);
            lines.set(i, e.withStatus("REVOKED"));
            found.add(InjectedDiscrepancy.line(
                    channel,
                    day,
                    date,
                    file,
                    Kind.STATUS_MISMATCH,
                    e.paymentId(),
                    "written REVOKED, the shop has SUCCESS"));
        }
        if (channel == PaymentChannel.ALIPAY) {
            // Alipay's detail file has completed trades only (no REVOKED): the status mismatch is a
            // trade line for a payment the channel never charged (closed unpaid, or failed with no
            // retry), whose row the shop closed or failed. Failed ones come within seconds of the
            // first payments, so even a bill day that starts before the traffic has one.
            for (int tries = 0; tries < 20; tries++) {
                ChannelBook.Unpaid c = book.takeUnpaid(channel);
                if (c == null) {
                    break;
                }
                String shopStatus = shop.paymentStatus(c.paymentId());
                if ("CLOSED".equals(shopStatus) || "FAILED".equals(shopStatus)) {
                    Instant at = c.at().isBefore(start) ? start : c.at();
                    at = at.isBefore(calendar.end(day)) ? at : calendar.end(day).minusMillis(1);
                    String txn = c.channelTxnId() != null
                            ? c.channelTxnId()
                            : "2026" + c.paymentId().substring(1);
                    lines.add(BillEntry.payment(c.paymentId(), txn, c.amountFen(), "SUCCESS", at));
                    found.add(InjectedDiscrepancy.line(
                            channel,
                            day,
                            date,
                            file,
                            Kind.STATUS_MISMATCH,
                            c.paymentId(),
                            "a 交易 line for a payment the channel "
                                    + c.outcome().name().toLowerCase(java.util.Locale.ROOT) + " unpaid at " + c.at()
                                    + ", the shop has " + shopStatus));
                    break;
                }
            }
        }
        // An id the shop never issued (its payment ids are P and digits).
        String unknown = "PBILL" + date.format(DateTimeFormatter.BASIC_ISO_DATE)
                + channel.name().charAt(0) + (100 + random.nextInt(900));
        long amount = 100 + random.nextInt(99_900);
        lines.add(BillEntry.payment(
                unknown,
                (channel == PaymentChannel.WECHAT ? "4200009" : "2026999") + Math.abs(unknown.hashCode()),
                amount,
                "SUCCESS",
                start.plusMillis(random.nextInt((int) Math.min(Integer.MAX_VALUE, Math.max(1, dayMs))))));
        found.add(InjectedDiscrepancy.line(
                channel,
                day,
                date,
                file,
                Kind.CHANNEL_ONLY,
                unknown,
                "a paid line of " + amount + " fen for a payment id the shop never issued"));

        if (omitted != null) {
            lines.remove((int) omitted);
        }
        boolean wrongTotal = day % 3 == 0 && channel == CHANNELS.get((int) ((day / 3) % CHANNELS.size()));
        if (wrongTotal) {
            found.add(InjectedDiscrepancy.wrongTotal(
                    channel, day, date, file, "the stated settled payment total is 1.00 yuan more than the lines"));
        }
        lines.sort(java.util.Comparator.comparing(BillEntry::tradeTime).thenComparing(BillEntry::shopId));
        Path target = directory.resolve(file);
        if (channel == PaymentChannel.WECHAT) {
            WechatTradeBillWriter.write(target, date, lines, wrongTotal);
        } else {
            AlipayTradeBillWriter.write(target, date, lines, wrongTotal);
        }
        written.add(new WrittenBill(channel, day, date, file, lines.size(), wrongTotal));
        injected.addAll(found);
    }

    /** The manifest: calendar, bills directory, bills written and discrepancies injected (atomically replaced). */
    private void writeManifest() throws java.io.IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("billsDir", directory.toAbsolutePath().toString());
        calendar.settings().forEach(root::put);
        ArrayNode bills = root.putArray("bills");
        for (WrittenBill w : written) {
            ObjectNode n = bills.addObject();
            n.put("channel", w.channel().name());
            n.put("day", w.day());
            n.put("date", w.date().toString());
            n.put("file", w.file());
            n.put("lines", w.lines());
            n.put("wrongTotal", w.wrongTotal());
        }
        ArrayNode list = root.putArray("injected");
        for (InjectedDiscrepancy i : injected) {
            ObjectNode n = list.addObject();
            n.put("channel", i.channel().name());
            n.put("day", i.day());
            n.put("billDate", i.billDate().toString());
            n.put("file", i.file());
            n.put("kind", i.kind().name());
            n.put("paymentId", i.paymentId());
            n.put("expectedId", i.expectedId());
            n.put("detail", i.detail());
        }
        BillWriting.writeAtomically(manifest, JSON.writeValueAsBytes(root));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
