package io.paystream.channels.bills;

import io.paystream.state.shop.PaymentChannel;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the simulated channels' daily bills go and how they are named, which the reconciliation job
 * relies on: {@code WECHAT_2026-12-02.csv} (WeChat Pay's trade bill, UTF-8) and {@code
 * ALIPAY_2026-12-02.zip} (Alipay's trade bill zip). The prefix is the {@link PaymentChannel} enum
 * name, the date the bill's day in Beijing time. UnionPay has no bill (its format is unconfirmed,
 * docs/reconcile-formats.md).
 *
 * <p>Files appear atomically: written under a hidden name ({@code .} first, which a Flink FileSource
 * ignores, as it does {@code _}) in the same directory, then renamed.
 */
public final class BillFiles {
    /** The channels cut their bill days and write their times in Beijing time (UTC+8, no daylight saving). */
    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private BillFiles() {}

    /** The bill file name of {@code channel} for {@code date}; IllegalArgumentException for UnionPay. */
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

    /** Whether the simulated {@code channel} writes daily bills (WeChat Pay and Alipay). */
    public static boolean hasBill(PaymentChannel channel) {
        return channel == PaymentChannel.WECHAT || channel == PaymentChannel.ALIPAY;
    }

    /**
     * Writes {@code bytes} to {@code target} so that no reader of the directory ever sees a part of
     * it: to a hidden temporary file beside it (synced), then an atomic rename over {@code target}.
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = dir.resolve("." + target.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel out =
                    FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Whole fen as yuan with two decimals, exactly: 1234 is {@code 12.34}, -10 is {@code -0.10}. */
    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    /** A bill's time: {@code yyyy-MM-dd HH:mm:ss}, Beijing time. */
    static String time(Instant at) {
        return TIME.format(at.atOffset(BEIJING));
    }

    /** The channels' fee (0.6 %) of an amount, whole fen, rounded half up. */
    static long fee(long fen) {
        return (fen * 6 + 500) / 1000;
    }
}
