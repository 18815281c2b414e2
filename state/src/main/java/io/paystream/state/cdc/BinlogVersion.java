package io.paystream.state.cdc;

/**
 * A monotonic per-row version packed into one positive long, so it can serve as an Elasticsearch
 * external version (signed 64-bit) or a plain state comparison.
 *
 * <p>Snapshot rows carry no binlog position: they get {@link #SNAPSHOT}, below every binlog row. A
 * binlog row is ordered by (file index, event position, row within the event):
 *
 * <pre>
 *   bit 63     62..45          44..13             12..0
 *   0          file index      event position     row in event
 *              (18 bits)       (32 bits)          (13 bits)
 * </pre>
 *
 * 18 bits hold file suffixes up to 262143 (MySQL's suffix goes to 999999 only after as many
 * rotations); 32 bits hold every position a binlog event header can express; a single rows event
 * is capped at 8 KiB by default, far below 8192 rows of these tables. Values outside these ranges
 * are rejected rather than wrapped, because a wrapped version would silently reorder history.
 */
public final class BinlogVersion {
    /** The version of every snapshot row. */
    public static final long SNAPSHOT = 0L;

    static final int ROW_BITS = 13;
    static final int POS_BITS = 32;
    static final int FILE_BITS = 18;

    private BinlogVersion() {}

    public static long of(long fileIndex, long position, long row) {
        if (fileIndex < 0 || fileIndex >= (1L << FILE_BITS)) {
            throw new IllegalArgumentException("binlog file index out of range: " + fileIndex);
        }
        if (position < 0 || position >= (1L << POS_BITS)) {
            throw new IllegalArgumentException("binlog position out of range: " + position);
        }
        if (row < 0 || row >= (1L << ROW_BITS)) {
            throw new IllegalArgumentException("row in binlog event out of range: " + row);
        }
        return (fileIndex << (POS_BITS + ROW_BITS)) | (position << ROW_BITS) | row;
    }

    /** Version of a binlog row, from the file name ({@code mysql-bin.000042}), event position and row. */
    public static long of(String file, long position, long row) {
        return of(fileIndex(file), position, row);
    }

    /** The numeric suffix of a binlog file name: {@code mysql-bin.000042} gives 42. */
    public static long fileIndex(String file) {
        if (file == null || file.isEmpty()) {
            throw new IllegalArgumentException("binlog file name is missing");
        }
        int dot = file.lastIndexOf('.');
        long index = 0;
        int digits = 0;
        for (int i = dot + 1; i < file.length(); i++) {
            char c = file.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("binlog file name without numeric suffix: " + file);
            }
            index = index * 10 + (c - '0');
            if (++digits > 9) {
                throw new IllegalArgumentException("binlog file suffix too long: " + file);
            }
        }
        if (digits == 0) {
            throw new IllegalArgumentException("binlog file name without numeric suffix: " + file);
        }
        return index;
    }

    public static long fileIndexOf(long version) {
        return version >>> (POS_BITS + ROW_BITS);
    }

    public static long positionOf(long version) {
        return (version >>> ROW_BITS) & ((1L << POS_BITS) - 1);
    }

    public static long rowOf(long version) {
        return version & ((1L << ROW_BITS) - 1);
    }

    public static String describe(long version) {
        return version == SNAPSHOT
                ? "snapshot"
                : "binlog " + fileIndexOf(version) + ":" + positionOf(version) + "#" + rowOf(version);
    }
}
