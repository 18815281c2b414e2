package io.paystream.gateway;

import io.paystream.channels.Pem;
import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.callbacks.ChannelCredentials;
import io.paystream.functions.callbacks.ChannelVerifiers;
import io.paystream.functions.callbacks.Verdict;

/** The payments job's verification, configured for the simulated channels' keys and addresses. */
final class Verifier {
    private final ChannelVerifiers verifiers;

    Verifier(SimulatedChannels ch) {
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
        this.verifiers = new ChannelVerifiers(c);
    }

    synchronized Verdict verify(byte[] envelope) {
        return verifiers.verifyCallback(envelope);
    }
}
