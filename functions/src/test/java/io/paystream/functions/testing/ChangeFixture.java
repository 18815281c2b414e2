package io.paystream.functions.testing;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;

/**
 * A named fixture of one CDC row change: builder methods say what each value is, {@link #change()}
 * gives the change as the CDC source emits it. A binlog version of 0 is a snapshot row (READ).
 */
public abstract class ChangeFixture<R, F extends ChangeFixture<R, F>> {
    long version;
    long sourceTsMs;

    /** The row's binlog version (0: a snapshot row). */
    public F version(long binlogVersion) {
        this.version = binlogVersion;
        return self();
    }

    /** The change as the CDC source emits it. */
    public abstract RowChange<R> change();

    /** The row deleted, at binlog version {@code binlogVersion}. */
    public RowChange<R> deleted(long binlogVersion) {
        return new RowChange<>(ChangeOp.DELETE, change().after, null, sourceTsMs, binlogVersion);
    }

    /** The change in the envelope the order-keyed stock and search functions read. */
    public ShopChange shopChange() {
        return Fixtures.shopChange(change());
    }

    @SuppressWarnings("unchecked")
    F self() {
        return (F) this;
    }

    ChangeOp insertOrRead() {
        return version == 0 ? ChangeOp.READ : ChangeOp.CREATE;
    }

    ChangeOp updateOrRead() {
        return version == 0 ? ChangeOp.READ : ChangeOp.UPDATE;
    }
}
