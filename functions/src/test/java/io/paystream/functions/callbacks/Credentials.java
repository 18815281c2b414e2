package io.paystream.functions.callbacks;

import io.paystream.channels.Pem;
import io.paystream.channels.SimulatedChannels;

/** Credentials for the simulated channels' test keys, as the job would configure them. */
final class Credentials {
    private Credentials() {}

    static ChannelCredentials of(SimulatedChannels ch) {
        ChannelCredentials c = new ChannelCredentials();
        c.wechatMchId = ch.wechat().mchId();
        c.wechatAppId = ch.wechat().appId();
        c.wechatPlatformKeys.put(
                ch.wechat().serial(), Pem.publicKey(ch.wechat().platformKey().getPublic()));
        c.wechatApiV3Key = ch.wechat().apiV3Key();
        c.wechatAllowlist = SimulatedChannels.WECHAT_ADDRESSES;
        c.alipayAppId = ch.alipay().appId();
        c.alipayPublicKey = Pem.publicKey(ch.alipay().alipayKey().getPublic());
        c.alipayAllowlist = SimulatedChannels.ALIPAY_ADDRESSES;
        c.unionpayMerId = ch.unionpay().merId();
        c.unionpayPublicKeys.put(
                ch.unionpay().certId(), Pem.publicKey(ch.unionpay().signKey().getPublic()));
        c.unionpayHmacSecret = ch.unionpay().hmacSecret();
        c.unionpayAllowlist = SimulatedChannels.UNIONPAY_ADDRESSES;
        c.queryKeys.put(ch.queryAnswers().keyId(), ch.queryAnswers().secret());
        return c;
    }
}
