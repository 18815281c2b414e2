package io.paystream.channels;

/** Ways a notification can be bad, for the sandbox's faults and the verification tests. */
public enum Forgery {
    /** A genuine notification. */
    NONE,
    /** Signed with a key that is not the channel's. */
    BAD_SIGNATURE,
    /** Names a key (WeChat serial, UnionPay certId) paystream does not know. */
    UNKNOWN_KEY,
    /** Genuinely signed, but the signed content was changed afterwards. */
    TAMPERED_BODY,
    /** Genuinely signed, but stamped long ago (a replayed capture). */
    STALE
}
