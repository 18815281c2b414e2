package io.paystream.state.cdc;

/**
 * A typed change of one row of one shop table, straight from the binlog (or the snapshot).
 *
 * @param <R> the row type ({@code OrderRow}, {@code PaymentRow}, ...)
 */
public class RowChange<R> {
    public ChangeOp op;
    /** The row before the change; null for READ and CREATE. */
    public R before;
    /** The row after the change; null for DELETE. */
    public R after;
    /** When the change was committed on the source database (epoch ms; 0 for snapshot rows). */
    public long sourceTsMs;
    /** Monotonic per-row version, see {@link BinlogVersion}. */
    public long version;

    public RowChange() {}

    public RowChange(ChangeOp op, R before, R after, long sourceTsMs, long version) {
        this.op = op;
        this.before = before;
        this.after = after;
        this.sourceTsMs = sourceTsMs;
        this.version = version;
    }

    /** The row as it now stands: the after image, or the before image of a delete. */
    public R row() {
        return after != null ? after : before;
    }

    public boolean isDelete() {
        return op == ChangeOp.DELETE;
    }

    @Override
    public String toString() {
        return op + "{" + BinlogVersion.describe(version) + ", before=" + before + ", after=" + after + '}';
    }
}
