package io.paystream.queryworker;

/** Why a query got no usable answer; {@link #retryable()} kinds are tried again with backoff. */
final class QueryException extends RuntimeException {
    enum Kind {
        /** No answer in time. */
        TIMEOUT(true),
        /** 5xx, a connection error or the channel's system-error answer. */
        SERVER_ERROR(true),
        /** The channel's rate-limit answer. */
        RATE_LIMITED(true),
        /** An answer that cannot be used: malformed, or its signature does not verify. */
        UNUSABLE(false),
        /** The channel refused the request (its signature, the merchant, arguments). */
        REFUSED(false);

        final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }
    }

    final Kind kind;

    QueryException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    boolean retryable() {
        return kind.retryable;
    }

    static QueryException unusable(String message) {
        return new QueryException(Kind.UNUSABLE, message);
    }
}
