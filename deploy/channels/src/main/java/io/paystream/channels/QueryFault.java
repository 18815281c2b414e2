package io.paystream.channels;

/** How a channel's query emulator misbehaves on one request (see {@link ChannelQueryServer#faults}). */
public enum QueryFault {
    /** A genuine, signed answer. */
    NONE,
    /** No answer at all: the request is held open until the client gives up (or the server stops). */
    TIMEOUT,
    /** HTTP 5xx with the channel's system-error body. */
    SERVER_ERROR,
    /** The channel's rate-limit answer (WeChat 429 FREQUENCY_LIMITED, Alipay's limit sub_code, UnionPay HTTP 503). */
    RATE_LIMITED,
    /** A 200 answer that is not the channel's format (truncated JSON / form). */
    MALFORMED,
    /** A well-formed answer signed with a key that is not the channel's. */
    BAD_SIGNATURE
}
