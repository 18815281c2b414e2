package io.paystream.jobs.search;

import org.elasticsearch.client.ResponseException;

/** What a bulk item's status, or a whole bulk's failure, means for the order index writer. */
enum BulkOutcome {
    /** Applied (created, updated, deleted, or a delete of a document that was not there). */
    APPLIED,
    /** 409: Elasticsearch holds a newer (or equal) version. The write was older data: success. */
    STALE,
    /**
     * 429 or 5xx: Elasticsearch could not take it now; 403: a block on the index (disk flood stage
     * makes it read-only until space is freed). Send it again after a backoff.
     */
    RETRY,
    /** Any other 4xx: Elasticsearch refuses this document (mapping error, bad value). Dead letter. */
    REJECTED,
    /** A whole request refused for a reason no retry fixes (credentials, permissions): fail the job. */
    FATAL;

    /** The outcome of a bulk item that carries an {@code error}, by its HTTP status. */
    static BulkOutcome ofItem(int status) {
        if (status == 409) return STALE;
        // A block lifts by itself (or by an operator); dead-lettering every document meanwhile would
        // empty the index's future. A missing privilege also answers 403: the job waits, visibly.
        if (status == 429 || status == 403 || status >= 500) return RETRY;
        return REJECTED;
    }

    /** A bulk request that failed as a whole: unreachable and overloaded nodes are retried. */
    static BulkOutcome ofRequest(Throwable failure) {
        if (failure instanceof ResponseException) {
            return ofRequestStatus(
                    ((ResponseException) failure).getResponse().getStatusLine().getStatusCode());
        }
        return RETRY; // connection refused or reset, timeouts
    }

    /** A bulk request Elasticsearch answered as a whole with {@code status}. */
    static BulkOutcome ofRequestStatus(int status) {
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return FATAL;
        }
        return RETRY; // 5xx, 408, 429
    }
}
