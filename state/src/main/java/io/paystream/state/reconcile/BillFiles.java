package io.paystream.state.reconcile;

import io.paystream.state.shop.PaymentChannel;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the daily bill files in the bills directory ({@code reconcile.bills.path},
 * docs/contract.md): {@code <CHANNEL>_<yyyy-MM-dd>.csv} (WeChat Pay's trade bill as downloaded,
 * UTF-8) or {@code .zip} (Alipay's trade bill zip), optionally {@code .gz} (WeChat Pay's {@code
 * tar_type=GZIP}). The prefix is the {@link PaymentChannel} enum name, the date the bill's day in
 * Beijing time ({@link BillCalendar}). UnionPay has no bill (its format is unconfirmed,
 * docs/reconcile-formats.md).
 *
 * <p>A file being written must not carry such a name: write it under a name starting with {@code
 * .} or {@code _} (never read) in the same directory, and rename it when complete.
 *
 * <p>One definition for those who write bills (the simulated channels, the sandbox, tests) and
 * the reconciliation job that reads them.
 */
public final class BillFiles {
    private static final Pattern NAME = Pattern.compile("([A-Z]+)_(\\d{4}-\\d{2}-\\d{2})\\.(csv|zip)(\\.gz)?");

    private BillFiles() {}

    /**
     * A bill file's channel and day, as its name says.
     *
     * @param billDate the day's date as the name writes it ({@code yyyy-MM-dd}), a valid date
     */
    public record BillFile(PaymentChannel channel, String billDate, boolean gzipped) {}

    /** Whether {@code channel} has daily bills (WeChat Pay and Alipay). */
    public static boolean hasBill(PaymentChannel channel) {
        return channel == PaymentChannel.WECHAT || channel == PaymentChannel.ALIPAY;
    }

    /** The name of {@code channel}'s bill of {@code date} (uncompressed); IllegalArgumentException for UnionPay. */
    public static String name(PaymentChannel channel, LocalDate date) {
        switch (channel) {
            case WECHAT:
                return channel.name() + "_" + date + ".csv";
            case ALIPAY:
                return channel.name() + "_" + date + ".zip";
            default:
                throw new IllegalArgumentException(channel + " writes no bill (its format is unconfirmed)");
        }
    }

    /**
     * The channel and day a file name says, if it is a bill file's name: a channel with bills and
     * a date that exists (a name such as {@code WECHAT_2026-13-45.csv} is no bill's).
     */
    public static Optional<BillFile> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        PaymentChannel channel;
        try {
            channel = PaymentChannel.valueOf(m.group(1));
            LocalDate.parse(m.group(2));
        } catch (IllegalArgumentException | DateTimeException e) {
            return Optional.empty();
        }
        if (!hasBill(channel)) {
            return Optional.empty();
        }
        return Optional.of(new BillFile(channel, m.group(2), m.group(4) != null));
    }

    /**
     * Whether a file (not a directory) is named as one of {@code channel}'s bills, complete (not
     * being written). <b>Decision:</b> by the name's shape only: a name whose date does not exist
     * ({@code WECHAT_2026-13-45.csv}) is still listed, so that the reader rejects it as no bill's
     * name (a dead letter) rather than the job ignoring it silently or failing on its date.
     */
    public static boolean isBillOf(PaymentChannel channel, String fileName) {
        if (fileName.startsWith(".") || fileName.startsWith("_")) {
            return false; // being written, or a Hadoop marker file
        }
        Matcher m = NAME.matcher(fileName);
        return m.matches() && m.group(1).equals(channel.name());
    }
}
