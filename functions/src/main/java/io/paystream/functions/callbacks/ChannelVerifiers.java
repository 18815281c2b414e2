package io.paystream.functions.callbacks;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Verifies channel notifications and query answers in their real formats, with JDK crypto only.
 * Each check that fails names itself in the verdict: an address outside the allowlist, an unknown
 * key, a bad signature or HMAC, an undecryptable resource or a foreign merchant id is
 * FORGED_CALLBACK; a timestamp outside the replay window is STALE_CALLBACK; a record that cannot
 * be read at all is malformed. Not thread-safe: one instance per operator subtask.
 *
 * <p>A forged verdict names the payment the record claims, read without trusting it, so the alert
 * says which payment is under attack: Alipay's and UnionPay's plain form parameters, WeChat Pay's
 * {@code resource} if it decrypts under our APIv3 key (AES-GCM authenticates it), a query answer's
 * payload. The claim is read only once the verdict is decided and never changes it; an allowlist
 * rejection still decides before any crypto and then reads the claim too, bounded: bodies over
 * {@link #MAX_CLAIM_BODY} and ids over {@link #MAX_CLAIMED_ID} are not read (docs/contract.md).
 */
public final class ChannelVerifiers {
    /** Bodies longer than this (a genuine notification is about 1 KB) are not read for a claim. */
    static final int MAX_CLAIM_BODY = 16 * 1024;
    /** A claimed id longer than this ({@code payments.payment_id} is VARCHAR(64)) names no payment of ours. */
    static final int MAX_CLAIMED_ID = 64;

    private final WechatPayVerifier wechat;
    private final AlipayVerifier alipay;
    private final UnionPayVerifier unionpay;
    private final QueryAnswerVerifier queryAnswers;
    private final ObjectMapper json = new ObjectMapper();

    public ChannelVerifiers(ChannelCredentials credentials) {
        ChannelCredentials.Loaded keys = credentials.load();
        // One of each per subtask (ObjectMapper, Crypto's Signature and Mac instances), shared by the channels.
        Crypto crypto = new Crypto();
        this.wechat = new WechatPayVerifier(credentials, keys, json, crypto);
        this.alipay = new AlipayVerifier(credentials, keys, crypto);
        this.unionpay = new UnionPayVerifier(credentials, keys, crypto);
        this.queryAnswers = new QueryAnswerVerifier(credentials, keys, json, crypto);
    }

    /** A {@code payment.callbacks} record: the gateway's envelope around a channel notification. */
    public Verdict verifyCallback(byte[] value) {
        Envelope e;
        try {
            e = Envelope.parse(json, value);
        } catch (Exception ex) {
            return Verdict.malformed("unreadable callback envelope: " + ex.getMessage());
        }
        try {
            switch (e.channel) {
                case "WECHAT":
                    return wechat.verify(e);
                case "ALIPAY":
                    return alipay.verify(e);
                case "UNIONPAY":
                    return unionpay.verify(e);
                default:
                    return Verdict.malformed("unknown channel '" + e.channel + "'");
            }
        } catch (IllegalArgumentException | java.time.DateTimeException | java.io.IOException ex) {
            return Verdict.malformed(e.channel + " notification unreadable: " + ex.getMessage());
        }
    }

    /** A {@code payment.query-results} record; {@code receivedAtMs} is the Kafka record's timestamp. */
    public Verdict verifyQueryAnswer(byte[] value, long receivedAtMs) {
        return queryAnswers.verify(value, receivedAtMs);
    }

    /**
     * A plain form parameter of a rejected notification, read for the alert only: one scan for that
     * parameter, not a parse of them all (an allowlist rejection stays cheap); never throws.
     */
    static String formClaim(Envelope e, String name) {
        if (e.body.length() > MAX_CLAIM_BODY) {
            return null;
        }
        return claimed(Forms.single(e.body, name));
    }

    /** A claimed payment id as the alert names it: null when empty or longer than any of ours. */
    static String claimed(String id) {
        return id == null || id.isEmpty() || id.length() > MAX_CLAIMED_ID ? null : id;
    }
}
