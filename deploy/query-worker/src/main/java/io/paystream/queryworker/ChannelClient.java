package io.paystream.queryworker;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** One channel's order-query API, asynchronous: the future fails with a {@link QueryException}. */
interface ChannelClient {
    String channel();

    CompletableFuture<ChannelAnswer> query(RequeryCommand command);

    /** The failure of an HTTP exchange as a QueryException. */
    static QueryException failure(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof QueryException q) {
            return q;
        }
        if (c instanceof HttpTimeoutException) {
            return new QueryException(QueryException.Kind.TIMEOUT, "no answer in time (" + c.getMessage() + ")");
        }
        if (c instanceof IOException) {
            return new QueryException(QueryException.Kind.SERVER_ERROR, "connection failed: " + c);
        }
        return QueryException.unusable("unusable answer: " + c);
    }
}
