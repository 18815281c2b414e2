package io.paystream.channels;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three payment channels and the query worker, with test keys generated at start (never
 * committed). {@link #publish(Path)} writes the public keys where paystream reads them and returns
 * the settings that point paystream at them, secrets included (pass those by environment).
 */
public final class SimulatedChannels {
    /** Addresses the simulated channels notify from (documentation ranges of each channel's own choosing). */
    public static final String WECHAT_ADDRESSES = "101.226.103.0/24,101.226.62.0/24";

    public static final String ALIPAY_ADDRESSES = "110.75.128.0/19,121.0.26.0/23";
    public static final String UNIONPAY_ADDRESSES = "101.231.204.0/24";
    /** Where forgeries come from: TEST-NET-3, in nobody's allowlist. */
    public static final String FORGER_ADDRESS_PREFIX = "203.0.113.";

    private final WechatPayChannel wechat;
    private final AlipayChannel alipay;
    private final UnionPayChannel unionpay;
    private final QueryAnswers queryAnswers;
    private final SecureRandom random;
    private MerchantKeys merchant;

    private SimulatedChannels(SecureRandom random) {
        this.random = random;
        this.wechat = new WechatPayChannel(random, "1900000109", "wx8888888888888888");
        this.alipay = new AlipayChannel(random, "2021000118660001");
        this.unionpay = new UnionPayChannel(random, "777290058110048");
        this.queryAnswers =
                new QueryAnswers("qw-1", Signatures.randomAlnum(random, 40).getBytes(StandardCharsets.US_ASCII));
    }

    public static SimulatedChannels generate() {
        return new SimulatedChannels(new SecureRandom());
    }

    public WechatPayChannel wechat() {
        return wechat;
    }

    public AlipayChannel alipay() {
        return alipay;
    }

    public UnionPayChannel unionpay() {
        return unionpay;
    }

    public QueryAnswers queryAnswers() {
        return queryAnswers;
    }

    /** The merchant's own keys at the channels (order queries are signed with them), made on first use. */
    public synchronized MerchantKeys merchant() {
        if (merchant == null) {
            merchant = new MerchantKeys(random);
        }
        return merchant;
    }

    /** A genuine source address of {@code channel}, varied by {@code n}. */
    public static String genuineAddress(String channel, int n) {
        int host = 1 + Math.floorMod(n, 250);
        switch (channel) {
            case "WECHAT":
                return "101.226.103." + host;
            case "ALIPAY":
                return "110.75.130." + host;
            case "UNIONPAY":
                return "101.231.204." + host;
            default:
                throw new IllegalArgumentException(channel);
        }
    }

    /**
     * Writes the channels' public keys under {@code dir} and returns paystream's channel settings
     * (docs/contract.md, "Channel keys"): key files, merchant ids, allowlists and the secrets.
     */
    public Map<String, String> publish(Path dir) {
        Path wechatKey = Pem.write(
                dir.resolve("wechatpay-" + wechat.serial() + ".pem"),
                wechat.platformKey().getPublic());
        Path alipayKey =
                Pem.write(dir.resolve("alipay-public.pem"), alipay.alipayKey().getPublic());
        Path unionKey = Pem.write(
                dir.resolve("unionpay-" + unionpay.certId() + ".pem"),
                unionpay.signKey().getPublic());
        Map<String, String> s = new LinkedHashMap<>();
        s.put("channel.wechat.mch-id", wechat.mchId());
        s.put("channel.wechat.app-id", wechat.appId());
        s.put("channel.wechat.platform-keys", wechat.serial() + "=" + wechatKey.toAbsolutePath());
        s.put("channel.wechat.apiv3-key", wechat.apiV3Key());
        s.put("channel.wechat.allowlist", WECHAT_ADDRESSES);
        s.put("channel.alipay.app-id", alipay.appId());
        s.put("channel.alipay.public-key", alipayKey.toAbsolutePath().toString());
        s.put("channel.alipay.allowlist", ALIPAY_ADDRESSES);
        s.put("channel.unionpay.mer-id", unionpay.merId());
        s.put("channel.unionpay.public-keys", unionpay.certId() + "=" + unionKey.toAbsolutePath());
        s.put("channel.unionpay.hmac-secret", unionpay.hmacSecret());
        s.put("channel.unionpay.allowlist", UNIONPAY_ADDRESSES);
        s.put("query.hmac-keys", queryAnswers.keyId() + "=" + queryAnswers.secret());
        return s;
    }
}
