package io.paystream.bench;

import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.Pem;
import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.callbacks.ChannelCredentials;
import io.paystream.functions.callbacks.ChannelVerifiers;
import io.paystream.functions.callbacks.NotificationVerification;
import io.paystream.functions.callbacks.Verdict;
import io.paystream.state.kafka.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Verified notifications/s per channel, RSA verification and AES-GCM decryption included: on one
 * thread (the verifier alone), and through Flink at the given parallelism.
 */
final class VerificationThroughput {
    private VerificationThroughput() {}

    static void run(long perChannel, int parallelism) throws Exception {
        SimulatedChannels ch = SimulatedChannels.generate();
        ChannelCredentials credentials = credentials(ch);
        System.out.printf(
                "notification verification: %,d notifications per channel, Flink parallelism %d%n",
                perChannel, parallelism);
        for (String channel : new String[] {"WECHAT", "ALIPAY", "UNIONPAY"}) {
            byte[][] bodies = new byte[1000][];
            for (int i = 0; i < bodies.length; i++) {
                PaymentFacts f = new PaymentFacts("P" + i, "T" + i, 100 + i, "SUCCESS", Instant.now());
                CallbackEnvelope e = channel.equals("WECHAT")
                        ? ch.wechat().notification(f, Instant.now(), "101.226.103.1", Forgery.NONE)
                        : channel.equals("ALIPAY")
                                ? ch.alipay().notification(f, Instant.now(), "110.75.130.1", Forgery.NONE)
                                : ch.unionpay().notification(f, Instant.now(), "101.231.204.1", Forgery.NONE);
                bodies[i] = e.toJson().getBytes(StandardCharsets.UTF_8);
            }
            ChannelVerifiers v = new ChannelVerifiers(credentials);
            long n = Math.min(perChannel, 50_000);
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i++) {
                if (v.verifyCallback(bodies[(int) (i % bodies.length)]).kind != Verdict.Kind.ACCEPTED) {
                    throw new IllegalStateException("a genuine notification was refused");
                }
            }
            double oneThread = n / ((System.nanoTime() - t0) / 1e9);

            StreamExecutionEnvironment env = BenchEnv.create(parallelism);
            env.fromSequence(0, perChannel - 1)
                    .map(i -> new KafkaRecord(
                            "payment.callbacks",
                            0,
                            i,
                            System.currentTimeMillis(),
                            null,
                            bodies[(int) (i % bodies.length)]))
                    .returns(KafkaRecord.class)
                    .process(
                            new NotificationVerification(credentials, "payment.query-results", "bench"),
                            io.paystream.state.ShopTypes.PAYMENT_NOTIFICATION)
                    .sinkTo(new DiscardingSink<>());
            JobExecutionResult r = env.execute("verify " + channel);
            System.out.printf(
                    "  %-8s one thread %,.0f/s | Flink p=%d %,.0f/s%n",
                    channel, oneThread, parallelism, perChannel * 1000.0 / r.getNetRuntime());
        }
    }

    private static ChannelCredentials credentials(SimulatedChannels ch) {
        ChannelCredentials c = new ChannelCredentials();
        c.wechatMchId = ch.wechat().mchId();
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
        c.unionpayAllowlist = SimulatedChannels.UNIONPAY_ADDRESSES;
        c.queryKeys.put(ch.queryAnswers().keyId(), ch.queryAnswers().secret());
        return c;
    }
}
