package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.state.contract.Alert;
import io.paystream.state.shop.PaymentChannel;
import io.paystream.state.shop.PaymentStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelVerifiersTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final ChannelVerifiers verifiers = new ChannelVerifiers(Credentials.of(CHANNELS));

    private static PaymentFacts paid(String id, long cents) {
        return new PaymentFacts(id, "TXN-" + id, cents, "SUCCESS", NOW.minusSeconds(3));
    }

    private Verdict verify(CallbackEnvelope e) {
        return verifiers.verifyCallback(e.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsGenuineNotificationsOfEveryChannelAndReadsThemExactly() {
        Verdict wx = verify(CHANNELS.wechat().notification(paid("P-WX", 3550), NOW, "101.226.103.7", Forgery.NONE));
        assertThat(wx.kind).isEqualTo(Verdict.Kind.ACCEPTED);
        assertThat(wx.notification.paymentId).isEqualTo("P-WX");
        assertThat(wx.notification.channel).isEqualTo(PaymentChannel.WECHAT);
        assertThat(wx.notification.amountCents).isEqualTo(3550);
        assertThat(wx.notification.status).isEqualTo(PaymentStatus.SUCCESS);
        assertThat(wx.notification.channelTxnId).isEqualTo("TXN-P-WX");
        assertThat(wx.notification.paidAt).isEqualTo(NOW.minusSeconds(3).toEpochMilli());

        Verdict ali = verify(CHANNELS.alipay().notification(paid("P-ALI", 1234), NOW, "110.75.130.9", Forgery.NONE));
        assertThat(ali.kind).isEqualTo(Verdict.Kind.ACCEPTED);
        assertThat(ali.notification.amountCents).isEqualTo(1234);
        assertThat(ali.notification.paidAt).isEqualTo(NOW.minusSeconds(3).toEpochMilli());

        Verdict up = verify(CHANNELS.unionpay().notification(paid("PUP1", 99), NOW, "101.231.204.1", Forgery.NONE));
        assertThat(up.kind).isEqualTo(Verdict.Kind.ACCEPTED);
        assertThat(up.notification.amountCents).isEqualTo(99);
        Verdict upHmac =
                verify(CHANNELS.unionpay().notification(paid("PUP2", 99), NOW, "101.231.204.1", Forgery.NONE, true));
        assertThat(upHmac.kind).isEqualTo(Verdict.Kind.ACCEPTED);

        Verdict closed = verify(CHANNELS.alipay()
                .notification(new PaymentFacts("P-C", "T", 100, "CLOSED", null), NOW, "110.75.130.9", Forgery.NONE));
        assertThat(closed.notification.status).isEqualTo(PaymentStatus.CLOSED);
        Verdict failed = verify(CHANNELS.unionpay()
                .notification(new PaymentFacts("PUPF", "T", 100, "FAILED", null), NOW, "101.231.204.1", Forgery.NONE));
        assertThat(failed.notification.status).isEqualTo(PaymentStatus.FAILED);
    }

    @Test
    void rejectsEveryForgeryWithItsReason() {
        for (String channel : new String[] {"WECHAT", "ALIPAY", "UNIONPAY"}) {
            String address = SimulatedChannels.genuineAddress(channel, 1);
            assertRejected(notify(channel, Forgery.BAD_SIGNATURE, address), Alert.FORGED_CALLBACK, "verify");
            assertRejected(notify(channel, Forgery.UNKNOWN_KEY, address), Alert.FORGED_CALLBACK, "");
            assertRejected(notify(channel, Forgery.TAMPERED_BODY, address), Alert.FORGED_CALLBACK, "verify");
            assertRejected(notify(channel, Forgery.NONE, "203.0.113.9"), Alert.FORGED_CALLBACK, "not allowed");
            if (!channel.equals("UNIONPAY")) {
                assertRejected(notify(channel, Forgery.STALE, address), Alert.STALE_CALLBACK, "from its receipt");
            }
        }
    }

    @Test
    void rejectsForgedQueryAnswersAndAcceptsGenuineOnes() {
        String genuine = CHANNELS.queryAnswers().answer("P1:1:1", "WECHAT", paid("P1", 500), NOW, false);
        Verdict ok = verifiers.verifyQueryAnswer(genuine.getBytes(StandardCharsets.UTF_8), NOW.toEpochMilli() + 200);
        assertThat(ok.kind).isEqualTo(Verdict.Kind.ACCEPTED);
        assertThat(ok.notification.source).isEqualTo("QUERY");
        assertThat(ok.notification.amountCents).isEqualTo(500);
        String forged = CHANNELS.queryAnswers().answer("P1:1:1", "WECHAT", paid("P1", 500), NOW, true);
        assertRejected(
                verifiers.verifyQueryAnswer(forged.getBytes(StandardCharsets.UTF_8), NOW.toEpochMilli()),
                Alert.FORGED_CALLBACK,
                "HMAC");
        assertRejected(
                verifiers.verifyQueryAnswer(genuine.getBytes(StandardCharsets.UTF_8), NOW.toEpochMilli() + 3_600_000),
                Alert.STALE_CALLBACK,
                "");
        Verdict notPaid = verifiers.verifyQueryAnswer(
                CHANNELS.queryAnswers()
                        .answer("P2:1:1", "ALIPAY", new PaymentFacts("P2", null, 0, "NOTPAY", null), NOW, false)
                        .getBytes(StandardCharsets.UTF_8),
                NOW.toEpochMilli());
        assertThat(notPaid.kind).isEqualTo(Verdict.Kind.ACCEPTED);
        assertThat(notPaid.notification.status).isNull();
    }

    @Test
    void neverThrowsOnGarbage() {
        Random r = new Random(7);
        String valid = CHANNELS.wechat()
                .notification(paid("P1", 1), NOW, "101.226.103.7", Forgery.NONE)
                .toJson();
        for (int i = 0; i < 3000; i++) {
            byte[] bytes;
            switch (i % 4) {
                case 0:
                    bytes = new byte[r.nextInt(200)];
                    r.nextBytes(bytes);
                    break;
                case 1:
                    bytes = valid.substring(0, r.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
                    break;
                case 2:
                    bytes = ("{\"channel\":\"" + new String[] {"WECHAT", "ALIPAY", "UNIONPAY", "PAYPAL"}[r.nextInt(4)]
                                    + "\",\"sourceAddress\":\"101.226.103.7\",\"receivedAt\":1,\"headers\":{},\"body\":\"a=b&"
                                    + r.nextInt() + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    break;
                default: {
                    char[] c = valid.toCharArray();
                    c[r.nextInt(c.length)] = (char) (32 + r.nextInt(90));
                    bytes = new String(c).getBytes(StandardCharsets.UTF_8);
                }
            }
            Verdict v = verifiers.verifyCallback(bytes);
            assertThat(v.kind).isIn(Verdict.Kind.MALFORMED, Verdict.Kind.REJECTED, Verdict.Kind.ACCEPTED);
            assertThat(v.kind == Verdict.Kind.ACCEPTED ? "" : v.reason).isNotNull();
            Verdict q = verifiers.verifyQueryAnswer(bytes, 0);
            assertThat(q.kind).isIn(Verdict.Kind.MALFORMED, Verdict.Kind.REJECTED);
        }
    }

    private CallbackEnvelope notify(String channel, Forgery f, String address) {
        switch (channel) {
            case "WECHAT":
                return CHANNELS.wechat().notification(paid("P1", 100), NOW, address, f);
            case "ALIPAY":
                return CHANNELS.alipay().notification(paid("P1", 100), NOW, address, f);
            default:
                return CHANNELS.unionpay().notification(paid("P1", 100), NOW, address, f);
        }
    }

    private void assertRejected(Object e, String type, String reasonPart) {
        Verdict v = e instanceof Verdict ? (Verdict) e : verify((CallbackEnvelope) e);
        assertThat(v.kind).as(v.toString()).isEqualTo(Verdict.Kind.REJECTED);
        assertThat(v.alertType).as(v.toString()).isEqualTo(type);
        assertThat(v.reason).contains(reasonPart);
    }
}
