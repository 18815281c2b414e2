package io.paystream.jobs.reconcile;

import io.paystream.state.shop.PaymentChannel;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of bill files in the bills directory ({@code reconcile.bills.path}, docs/contract.md):
 * {@code <CHANNEL>_<yyyy-MM-dd>.csv} (WeChat Pay's trade bill as downloaded) or {@code .zip}
 * (Alipay's), optionally {@code .gz} (WeChat Pay's {@code tar_type=GZIP}). A file being written
 * must not carry such a name: write it under a name starting with {@code .} or {@code _} (never
 * read) and rename it when complete.
 */
public final class BillFiles {
    private static final Pattern NAME = Pattern.compile("([A-Z]+)_(\\d{4}-\\d{2}-\\d{2})\\.(csv|zip)(\\.gz)?");

    private BillFiles() {}

    /** A bill file's channel and day. */
    public record BillFile(PaymentChannel channel, String billDate, boolean gzipped) {}

    /** The channel and day a file name says, if it is a bill file's name. */
    public static Optional<BillFile> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        PaymentChannel channel;
        try {
            channel = PaymentChannel.valueOf(m.group(1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new BillFile(channel, m.group(2), m.group(4) != null));
    }

    /** The name of a channel's bill of a day (uncompressed). */
    public static String name(PaymentChannel channel, String billDate) {
        return channel.name() + "_" + billDate + (channel == PaymentChannel.WECHAT ? ".csv" : ".zip");
    }

    /** Whether a file (not a directory) is one of a channel's bills. */
    static boolean isBillOf(PaymentChannel channel, String fileName) {
        if (fileName.startsWith(".") || fileName.startsWith("_")) {
            return false; // being written, or a Hadoop marker file
        }
        return parse(fileName).map(f -> f.channel() == channel).orElse(false);
    }
}
