package io.paystream.channels.bills;

import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the simulated channels' bill writers share: a bill file published whole, and money, times
 * and fees as the channels write them. Where the bills go and how they are named is {@link
 * BillFiles} (one definition with the reconciliation job that reads them); the bill days are
 * {@link BillCalendar}.
 *
 * <p>Files appear atomically: written under a hidden name ({@code .} first, which a Flink FileSource
 * ignores, as it does {@code _}) in the same directory, then renamed.
 */
public final class BillWriting {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private BillWriting() {}

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
        return TIME.format(at.atOffset(BillCalendar.BEIJING));
    }

    /** The channels' fee (0.6 %) of an amount, whole fen, rounded half up. */
    static long fee(long fen) {
        return (fen * 6 + 500) / 1000;
    }
}
