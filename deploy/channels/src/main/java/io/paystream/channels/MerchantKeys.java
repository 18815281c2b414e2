package io.paystream.channels;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The merchant's own keys at each channel, with which the query worker signs its order queries
 * (the channels' emulators verify them): WeChat Pay's merchant API key and certificate serial,
 * Alipay's application key (RSA2), UnionPay's merchant signing key and its certId. Test keys,
 * generated on first use ({@link SimulatedChannels#merchant()}), never committed.
 */
public final class MerchantKeys {
    private final KeyPair wechatKey;
    private final String wechatSerial;
    private final KeyPair alipayAppKey;
    private final KeyPair unionpayKey;
    private final String unionpayCertId;

    MerchantKeys(SecureRandom random) {
        this.wechatKey = Signatures.rsa2048(random);
        byte[] serial = new byte[20];
        random.nextBytes(serial);
        this.wechatSerial = HexFormat.of().withUpperCase().formatHex(serial);
        this.alipayAppKey = Signatures.rsa2048(random);
        this.unionpayKey = Signatures.rsa2048(random);
        this.unionpayCertId = String.valueOf(70000000000L + random.nextInt(1_000_000_000));
    }

    /** The merchant's API private key at WeChat Pay (signs the {@code Authorization} header). */
    public KeyPair wechatKey() {
        return wechatKey;
    }

    /** The serial of the merchant's API certificate ({@code serial_no} in the Authorization header). */
    public String wechatSerial() {
        return wechatSerial;
    }

    /** The merchant application's key at Alipay (signs requests RSA2). */
    public KeyPair alipayAppKey() {
        return alipayAppKey;
    }

    /** The merchant's signing key at UnionPay ({@code signMethod=01}). */
    public KeyPair unionpayKey() {
        return unionpayKey;
    }

    /** The certId of the merchant's UnionPay signing certificate. */
    public String unionpayCertId() {
        return unionpayCertId;
    }
}
