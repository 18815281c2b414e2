package io.paystream.channels;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The three channels' query APIs on local HTTP servers, answering from one truth. {@link
 * #workerSettings()} gives the query worker's settings that point it at them (URLs, the merchant's
 * private keys, the channels' public keys and the answer-signing secret: pass the secrets by
 * environment or in memory, never log them).
 */
public final class ChannelQueryServers implements AutoCloseable {
    private final SimulatedChannels channels;
    private final WechatPayQueryServer wechat;
    private final AlipayQueryServer alipay;
    private final UnionPayQueryServer unionpay;

    private ChannelQueryServers(SimulatedChannels channels) {
        this.channels = channels;
        MerchantKeys merchant = channels.merchant();
        this.wechat = new WechatPayQueryServer(channels.wechat(), merchant);
        this.alipay = new AlipayQueryServer(channels.alipay(), merchant);
        this.unionpay = new UnionPayQueryServer(channels.unionpay(), merchant);
    }

    /** Starts the three servers on free loopback ports, answering from {@code truth}. */
    public static ChannelQueryServers start(SimulatedChannels channels, Function<String, PaymentFacts> truth) {
        ChannelQueryServers s = new ChannelQueryServers(channels);
        s.wechat.truth(truth);
        s.alipay.truth(truth);
        s.unionpay.truth(truth);
        return s;
    }

    public WechatPayQueryServer wechat() {
        return wechat;
    }

    public AlipayQueryServer alipay() {
        return alipay;
    }

    public UnionPayQueryServer unionpay() {
        return unionpay;
    }

    /** Refund query answers of all three channels from {@code truth} (refund id to facts; null: unknown). */
    public ChannelQueryServers refundTruth(Function<String, RefundFacts> truth) {
        wechat.refundTruth(truth);
        alipay.refundTruth(truth);
        unionpay.refundTruth(truth);
        return this;
    }

    /** The server of {@code channel} (WECHAT, ALIPAY, UNIONPAY). */
    public ChannelQueryServer of(String channel) {
        switch (channel) {
            case "WECHAT":
                return wechat;
            case "ALIPAY":
                return alipay;
            case "UNIONPAY":
                return unionpay;
            default:
                throw new IllegalArgumentException(channel);
        }
    }

    /**
     * The query worker's channel settings (deploy/query-worker, README "Query worker"): where each
     * channel's query API is, the merchant's credentials (private keys as PEM text: secrets) and the
     * channels' public keys (PEM text), and the HMAC key its answers are signed with.
     */
    public Map<String, String> workerSettings() {
        MerchantKeys m = channels.merchant();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("channel.wechat.base-url", wechat.baseUrl());
        s.put("channel.wechat.mch-id", channels.wechat().mchId());
        s.put("channel.wechat.merchant-serial", m.wechatSerial());
        s.put(
                "channel.wechat.merchant-private-key",
                Pem.privateKey(m.wechatKey().getPrivate()));
        s.put(
                "channel.wechat.platform-keys",
                channels.wechat().serial() + "="
                        + Pem.publicKey(channels.wechat().platformKey().getPublic()));
        s.put("channel.alipay.gateway-url", alipay.baseUrl() + AlipayQueryServer.PATH);
        s.put("channel.alipay.app-id", channels.alipay().appId());
        s.put("channel.alipay.app-private-key", Pem.privateKey(m.alipayAppKey().getPrivate()));
        s.put(
                "channel.alipay.public-key",
                Pem.publicKey(channels.alipay().alipayKey().getPublic()));
        s.put("channel.unionpay.query-url", unionpay.baseUrl() + UnionPayQueryServer.PATH);
        s.put("channel.unionpay.mer-id", channels.unionpay().merId());
        s.put("channel.unionpay.cert-id", m.unionpayCertId());
        s.put("channel.unionpay.private-key", Pem.privateKey(m.unionpayKey().getPrivate()));
        s.put(
                "channel.unionpay.public-keys",
                channels.unionpay().certId() + "="
                        + Pem.publicKey(channels.unionpay().signKey().getPublic()));
        s.put(
                "query.hmac-keys",
                channels.queryAnswers().keyId() + "=" + channels.queryAnswers().secret());
        return s;
    }

    @Override
    public void close() {
        wechat.close();
        alipay.close();
        unionpay.close();
    }
}
