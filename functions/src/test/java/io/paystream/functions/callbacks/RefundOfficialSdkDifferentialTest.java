package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.internal.util.AlipaySignature;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.RefundFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.state.contract.Alert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Refund notifications against the channels' official Java SDKs as the reference: the WeChat Pay
 * SDK parses the simulated refund notification into its own refund model, and paystream accepts
 * exactly what the SDK accepts, reading the same ids and amounts; Alipay's SDK checks the refund's
 * trade notify signature as paystream does. Stricter only where the SDKs leave a check to their
 * caller (the replay window; Alipay's app_id). UnionPay has no SDK here.
 */
class RefundOfficialSdkDifferentialTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    private final ChannelVerifiers paystream = new ChannelVerifiers(Credentials.of(CHANNELS));
    private final Random random = new Random(17);

    @Test
    void wechatPayRefundVerdictsMatchTheOfficialSdk() {
        NotificationParser sdk = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(CHANNELS.wechat().platformKey().getPublic())
                .publicKeyId(CHANNELS.wechat().serial())
                .apiV3Key(CHANNELS.wechat().apiV3Key())
                .build());
        String[] statuses = {"SUCCESS", "ABNORMAL", "CLOSED"};
        for (int i = 0; i < 15; i++) {
            for (Forgery f : Forgery.values()) {
                RefundFacts facts = facts(i).withStatus(statuses[i % 3]);
                CallbackEnvelope e = CHANNELS.wechat().refundNotification(facts, Instant.now(), "101.226.103.8", f);
                RefundNotification r = OfficialSdks.wechatParse(sdk, e, RefundNotification.class);
                Verdict v = paystream.verifyCallback(e.toJson().getBytes(StandardCharsets.UTF_8));
                if (f == Forgery.STALE) {
                    assertThat(r)
                            .as("SDK accepts a stale but genuine notification")
                            .isNotNull();
                    assertThat(v.alertType).isEqualTo(Alert.STALE_CALLBACK);
                    continue;
                }
                assertThat(v.kind == Verdict.Kind.ACCEPTED).as(f + ": " + v).isEqualTo(r != null);
                if (r != null) {
                    assertThat(v.refund.refundId).isEqualTo(r.getOutRefundNo());
                    assertThat(v.refund.paymentId).isEqualTo(r.getOutTradeNo());
                    assertThat(v.refund.channelRefundId).isEqualTo(r.getRefundId());
                    assertThat(v.refund.refundAmountCents)
                            .isEqualTo(r.getAmount().getRefund());
                    assertThat(v.refund.paymentTotalCents)
                            .isEqualTo(r.getAmount().getTotal());
                    assertThat(r.getRefundStatus().name()).isEqualTo(statuses[i % 3]);
                }
            }
        }
    }

    @Test
    void alipayRefundSignatureVerdictsMatchTheOfficialSdk() throws Exception {
        String alipayPublicKey = Base64.getEncoder()
                .encodeToString(CHANNELS.alipay().alipayKey().getPublic().getEncoded());
        for (int i = 0; i < 15; i++) {
            for (Forgery f : Forgery.values()) {
                CallbackEnvelope e = CHANNELS.alipay().refundNotification(facts(i), Instant.now(), "110.75.130.8", f);
                boolean sdk = AlipaySignature.rsaCheckV1(OfficialSdks.form(e.body), alipayPublicKey, "utf-8", "RSA2");
                Verdict v = paystream.verifyCallback(e.toJson().getBytes(StandardCharsets.UTF_8));
                if (f == Forgery.STALE || f == Forgery.UNKNOWN_KEY) {
                    assertThat(sdk).as(f.toString()).isTrue();
                    assertThat(v.kind).as(f + ": " + v).isEqualTo(Verdict.Kind.REJECTED);
                } else {
                    assertThat(v.kind == Verdict.Kind.ACCEPTED).as(f + ": " + v).isEqualTo(sdk);
                }
            }
        }
    }

    private RefundFacts facts(int i) {
        long total = 2 + random.nextInt(1_000_000);
        long refund = 1 + random.nextInt((int) total - 1);
        return RefundFacts.succeeded(
                "R" + (100_000 + i),
                "P" + (100_000 + i),
                "4200" + random.nextInt(1_000_000),
                refund,
                total,
                Instant.now().minusSeconds(5));
    }
}
