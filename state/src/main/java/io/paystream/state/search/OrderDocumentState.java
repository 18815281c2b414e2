package io.paystream.state.search;

import io.paystream.state.shop.OrderRow;

/**
 * What the order-document join keeps per order beside its items and payments: the order row, the
 * versions that make replays and reordering harmless, and when the state may be forgotten.
 */
public class OrderDocumentState {
    /** The order row; null before it arrived (children came first) or after it was deleted. */
    public OrderRow order;
    /** Binlog version of the order row applied, or of its deletion; -1: none yet. */
    public long orderVersion = -1;
    /** The order row was deleted: a tombstone until {@link #forgetAt}. */
    public boolean deleted;
    /** Newest version of any row merged (order, item, payment, or a deletion): the document's version. */
    public long version = -1;
    /** Best known commit time of the newest change merged (see {@code OrderDocument.lastChangeAt}). */
    public long lastChangeAt;
    /** Processing time at which this order's state is dropped (tombstone or orphans); 0: kept. */
    public long forgetAt;
    /**
     * The document is held, not written yet: its rows came by the initial snapshot, which reads the
     * tables one after another, so the order's items and payments may still come. It is written
     * once, when every server's snapshot has ended.
     */
    public boolean heldForSnapshot;

    public OrderDocumentState() {}
}
