package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.internal.util.AlipaySignature;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.service.payments.model.Transaction;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.state.contract.Alert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * paystream's verification against the channels' official Java SDKs as the reference: over valid,
 * tampered, wrong-key, wrong-serial and stale notifications, paystream accepts exactly what the
 * SDK's verifier accepts. Where paystream is stricter it is on checks the SDKs leave to their
 * caller (the replay window; Alipay's app_id), and the test says so case by case.
 */
class OfficialSdkDifferentialTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    private final ChannelVerifiers paystream = new ChannelVerifiers(Credentials.of(CHANNELS));
    private final Random random = new Random(11);

    @Test
    void wechatPayVerdictsMatchTheOfficialSdk() {
        NotificationParser sdk = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(CHANNELS.wechat().platformKey().getPublic())
                .publicKeyId(CHANNELS.wechat().serial())
                .apiV3Key(CHANNELS.wechat().apiV3Key())
                .build());
        int compared = 0;
        for (int i = 0; i < 40; i++) {
            for (Forgery f : Forgery.values()) {
                PaymentFacts facts = facts(i);
                Instant now = Instant.now();
                CallbackEnvelope e = CHANNELS.wechat().notification(facts, now, "101.226.103.8", f);
                Transaction t = OfficialSdks.wechatParse(sdk, e, Transaction.class);
                Verdict v = paystream.verifyCallback(e.toJson().getBytes(StandardCharsets.UTF_8));
                if (f == Forgery.STALE) {
                    // The SDK verifies signatures only; the 5-minute window is the caller's job.
                    assertThat(t)
                            .as("SDK accepts a stale but genuine notification")
                            .isNotNull();
                    assertThat(v.alertType).isEqualTo(Alert.STALE_CALLBACK);
                } else {
                    assertThat(v.kind == Verdict.Kind.ACCEPTED).as(f + ": " + v).isEqualTo(t != null);
                }
                if (t != null && v.kind == Verdict.Kind.ACCEPTED) {
                    assertThat(v.notification.paymentId).isEqualTo(t.getOutTradeNo());
                    assertThat(v.notification.channelTxnId).isEqualTo(t.getTransactionId());
                    assertThat(v.notification.amountCents)
                            .isEqualTo(t.getAmount().getTotal().longValue());
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(40 * Forgery.values().length);
    }

    @Test
    void alipayVerdictsMatchTheOfficialSdk() throws Exception {
        String alipayPublicKey = Base64.getEncoder()
                .encodeToString(CHANNELS.alipay().alipayKey().getPublic().getEncoded());
        for (int i = 0; i < 40; i++) {
            for (Forgery f : Forgery.values()) {
                CallbackEnvelope e = CHANNELS.alipay().notification(facts(i), Instant.now(), "110.75.130.8", f);
                boolean sdk = AlipaySignature.rsaCheckV1(OfficialSdks.form(e.body), alipayPublicKey, "utf-8", "RSA2");
                Verdict v = paystream.verifyCallback(e.toJson().getBytes(StandardCharsets.UTF_8));
                if (f == Forgery.STALE || f == Forgery.UNKNOWN_KEY) {
                    // Genuinely signed; the SDK leaves notify_time and app_id to its caller.
                    assertThat(sdk).as(f.toString()).isTrue();
                    assertThat(v.kind).as(f + ": " + v).isEqualTo(Verdict.Kind.REJECTED);
                    assertThat(v.alertType)
                            .isEqualTo(f == Forgery.STALE ? Alert.STALE_CALLBACK : Alert.FORGED_CALLBACK);
                } else {
                    assertThat(v.kind == Verdict.Kind.ACCEPTED).as(f + ": " + v).isEqualTo(sdk);
                }
            }
        }
    }

    private PaymentFacts facts(int i) {
        long cents = 1 + random.nextInt(1_000_000);
        return new PaymentFacts(
                "P" + (100_000 + i),
                "4200" + random.nextInt(1_000_000),
                cents,
                "SUCCESS",
                Instant.now().minusSeconds(5));
    }
}
