package io.paystream.state.search;

/**
 * One write to the order index: the order's document at a version, or its deletion. The version
 * is the newest binlog version merged into the document, used as Elasticsearch's external
 * version, so an older write arriving late (a retry, a replay) can never replace a newer one.
 */
public class OrderDocumentWrite {
    public long orderId;
    /** Elasticsearch external version: newest {@code BinlogVersion} of any row merged (0: snapshot only). */
    public long version;
    /** The document; null means: delete the order's document. */
    public OrderDocument document;
    /** Best known commit time of the change that caused this write: the origin of freshness lag. */
    public long changedAt;

    public OrderDocumentWrite() {}

    public static OrderDocumentWrite upsert(OrderDocument document, long version, long changedAt) {
        OrderDocumentWrite w = new OrderDocumentWrite();
        w.orderId = document.orderId;
        w.version = version;
        w.document = document;
        w.changedAt = changedAt;
        return w;
    }

    public static OrderDocumentWrite delete(long orderId, long version, long changedAt) {
        OrderDocumentWrite w = new OrderDocumentWrite();
        w.orderId = orderId;
        w.version = version;
        w.changedAt = changedAt;
        return w;
    }

    public boolean isDelete() {
        return document == null;
    }

    @Override
    public String toString() {
        return (isDelete() ? "delete " : "upsert ") + orderId + "@" + version;
    }
}
