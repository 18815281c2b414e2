package io.paystream.jobs.search;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.rest.RestStatus;

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

    static BulkOutcome ofItem(RestStatus status) {
        int code = status.getStatus();
        if (code == 409) return STALE;
        // A block lifts by itself (or by an operator); dead-lettering every document meanwhile would
        // empty the index's future. A missing privilege also answers 403: the job waits, visibly.
        if (code == 429 || code == 403 || code >= 500) return RETRY;
        return REJECTED;
    }

    /** A bulk request that failed as a whole: unreachable and overloaded nodes are retried. */
    static BulkOutcome ofRequest(Throwable failure) {
        int code = -1;
        if (failure instanceof ResponseException) {
            code = ((ResponseException) failure).getResponse().getStatusLine().getStatusCode();
        } else if (failure instanceof ElasticsearchStatusException) {
            code = ((ElasticsearchStatusException) failure).status().getStatus();
        }
        if (code >= 400 && code < 500 && code != 408 && code != 429) {
            return FATAL;
        }
        return RETRY; // connection refused or reset, timeouts, 5xx, 408, 429
    }
}
