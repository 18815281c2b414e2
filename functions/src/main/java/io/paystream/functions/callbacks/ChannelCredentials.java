package io.paystream.functions.callbacks;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything verification needs, as configured (never in code): each channel's merchant id,
 * public keys by key id, secrets and source-address rules, the query worker's HMAC secrets, and the
 * replay window. Built by the job from its settings; {@link #load()} parses it, so a bad key fails
 * the job at start.
 */
public final class ChannelCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    public String wechatMchId;
    public String wechatAppId;
    /** WeChat Pay platform public keys (PEM) by serial ({@code Wechatpay-Serial}). */
    public Map<String, String> wechatPlatformKeys = new LinkedHashMap<>();
    /** The merchant's APIv3 key (32 characters): a secret. */
    public String wechatApiV3Key;

    public String wechatAllowlist;

    public String alipayAppId;
    /** Alipay's public key (PEM). */
    public String alipayPublicKey;

    public String alipayAllowlist;

    public String unionpayMerId;
    /** UnionPay signing public keys (PEM) by certId. */
    public Map<String, String> unionpayPublicKeys = new LinkedHashMap<>();
    /** Shared secret of a merchant configured for HMAC-SHA256 signing (null: RSA only). */
    public String unionpayHmacSecret;

    public String unionpayAllowlist;

    /** The query worker's HMAC secrets by key id. */
    public Map<String, String> queryKeys = new LinkedHashMap<>();

    /** Notifications stamped further than this from their receipt are stale. */
    public long replayWindowMs = 5 * 60_000L;

    /** The parsed keys and rules. */
    public static final class Loaded {
        public final Map<String, PublicKey> wechatKeys = new LinkedHashMap<>();
        public final byte[] wechatApiV3Key;
        public final AddressRules wechatAllow;
        public final PublicKey alipayKey;
        public final AddressRules alipayAllow;
        public final Map<String, PublicKey> unionpayKeys = new LinkedHashMap<>();
        public final byte[] unionpayHmacSecret;
        public final AddressRules unionpayAllow;
        public final Map<String, byte[]> queryKeys = new LinkedHashMap<>();

        Loaded(ChannelCredentials c) {
            // A channel the shop does not use is simply not configured: its notifications are
            // then rejected as forged. What is configured must be complete and well-formed.
            c.wechatPlatformKeys.forEach(
                    (serial, pem) -> wechatKeys.put(serial, publicKey(pem, "WeChat Pay key " + serial)));
            if (!wechatKeys.isEmpty()
                    && (c.wechatApiV3Key == null
                            || c.wechatApiV3Key.getBytes(StandardCharsets.US_ASCII).length != 32)) {
                throw new IllegalArgumentException("the WeChat Pay APIv3 key must be 32 characters");
            }
            wechatApiV3Key = wechatKeys.isEmpty() ? null : c.wechatApiV3Key.getBytes(StandardCharsets.US_ASCII);
            wechatAllow = AddressRules.parse(c.wechatAllowlist);
            alipayKey = c.alipayPublicKey == null || c.alipayPublicKey.isBlank()
                    ? null
                    : publicKey(c.alipayPublicKey, "Alipay public key");
            alipayAllow = AddressRules.parse(c.alipayAllowlist);
            c.unionpayPublicKeys.forEach(
                    (certId, pem) -> unionpayKeys.put(certId, publicKey(pem, "UnionPay key " + certId)));
            unionpayHmacSecret = c.unionpayHmacSecret == null || c.unionpayHmacSecret.isEmpty()
                    ? null
                    : c.unionpayHmacSecret.getBytes(StandardCharsets.UTF_8);
            unionpayAllow = AddressRules.parse(c.unionpayAllowlist);
            c.queryKeys.forEach((id, secret) -> queryKeys.put(id, secret.getBytes(StandardCharsets.UTF_8)));
            if (wechatKeys.isEmpty() && alipayKey == null && unionpayKeys.isEmpty() && unionpayHmacSecret == null) {
                throw new IllegalArgumentException(
                        "no payment channel is configured: every notification would be rejected");
            }
        }
    }

    public Loaded load() {
        return new Loaded(this);
    }

    /** An X.509 SubjectPublicKeyInfo RSA key in PEM (or bare Base64, as Alipay hands it out). */
    public static PublicKey publicKey(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (Exception e) {
            throw new IllegalArgumentException(what + " is not an RSA public key in PEM: " + e.getMessage());
        }
    }
}
