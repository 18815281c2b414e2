package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.state.contract.Alert;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.PaymentNotification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verification operator's alerts for every kind of rejection: each names the payment it is
 * about (a stale capture, genuinely signed) or claims (a forgery, unverified), and has a Kafka key.
 */
class NotificationVerificationTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    private static final String CALLBACKS = "payment.callbacks";
    private static final String QUERY_RESULTS = "payment.query-results";
    private static final String[] ALL = {"WECHAT", "ALIPAY", "UNIONPAY"};

    private OneInputStreamOperatorTestHarness<KafkaRecord, PaymentNotification> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new NotificationVerification(Credentials.of(CHANNELS), QUERY_RESULTS, "payments"));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void forgedCallbacksOfEveryKindNameTheClaimedPaymentAndAreKeyedByIt() throws Exception {
        for (String channel : ALL) {
            String address = SimulatedChannels.genuineAddress(channel, 3);
            String id = "P-" + channel;
            for (Forgery f : new Forgery[] {Forgery.BAD_SIGNATURE, Forgery.UNKNOWN_KEY, Forgery.TAMPERED_BODY}) {
                CallbackEnvelope e = notification(channel, id, address, f, Instant.now());
                Alert a = rejectedAlert(callback(e));
                assertForged(a, id, e.notifyId, channel + " " + f);
            }
            // Outside the allowlist: rejected before any crypto, and the claim is still read.
            CallbackEnvelope outside = notification(channel, id, "203.0.113.9", Forgery.NONE, Instant.now());
            Alert a = rejectedAlert(callback(outside));
            assertForged(a, id, outside.notifyId, channel + " outside the allowlist");
            assertThat(a.reason).contains("not allowed");
        }
    }

    @Test
    void staleCallbacksNameTheirPaymentAsVerified() throws Exception {
        for (String channel : new String[] {"WECHAT", "ALIPAY"}) {
            String id = "P-OLD-" + channel;
            CallbackEnvelope e = notification(
                    channel, id, SimulatedChannels.genuineAddress(channel, 1), Forgery.STALE, Instant.now());
            Alert a = rejectedAlert(callback(e));
            assertThat(a.type).isEqualTo(Alert.STALE_CALLBACK);
            assertThat(a.paymentId).as("genuinely signed: the channel's word").isEqualTo(id);
            assertThat(a.claimedPaymentId).isNull();
            assertThat(a.notifyId).isEqualTo(e.notifyId);
            assertThat(a.kafkaKey()).isEqualTo(id);
            assertThat(a.alertId).isEqualTo("STALE_CALLBACK:" + id + ":kafka:" + CALLBACKS + "/0@" + (offset - 1));
        }
    }

    @Test
    void forgedQueryAnswersNameTheClaimedPaymentAndCommand() throws Exception {
        PaymentFacts facts = new PaymentFacts("P-Q", "T-Q", 500, "SUCCESS", Instant.now());
        String badHmac = CHANNELS.queryAnswers().answer("P-Q:1:1", "WECHAT", facts, Instant.now(), true);
        Alert a = rejectedAlert(record(QUERY_RESULTS, null, badHmac));
        assertForged(a, "P-Q", "P-Q:1:1", "bad HMAC");
        assertThat(a.reason).contains("HMAC");

        String genuine = CHANNELS.queryAnswers().answer("P-Q:1:2", "WECHAT", facts, Instant.now(), false);
        String unknownKey =
                genuine.replace("\"keyId\":\"" + CHANNELS.queryAnswers().keyId() + "\"", "\"keyId\":\"nobody\"");
        assertThat(unknownKey).isNotEqualTo(genuine);
        Alert b = rejectedAlert(record(QUERY_RESULTS, null, unknownKey));
        assertForged(b, "P-Q", "P-Q:1:2", "unknown key id");
        assertThat(b.reason).contains("unknown key id");
    }

    @Test
    void whenNoPaymentCanBeReadTheNotificationIdIsTheKey() throws Exception {
        // A WeChat resource that does not decrypt under our key names nothing we can read.
        CallbackEnvelope wx = notification(
                "WECHAT", "P-X", SimulatedChannels.genuineAddress("WECHAT", 1), Forgery.BAD_SIGNATURE, Instant.now());
        CallbackEnvelope undecryptable =
                wx.withBody(wx.body.replaceAll("\"ciphertext\":\"[^\"]{8}", "\"ciphertext\":\"AAAAAAAA"));
        assertThat(undecryptable.body).isNotEqualTo(wx.body);
        Alert a = rejectedAlert(callback(undecryptable));
        assertThat(a.type).isEqualTo(Alert.FORGED_CALLBACK);
        assertThat(a.paymentId).isNull();
        assertThat(a.claimedPaymentId).isNull();
        assertThat(a.kafkaKey()).isEqualTo(wx.notifyId);
        assertThat(a.alertId).startsWith("FORGED_CALLBACK:-:kafka:");

        // A body too long to be read for a claim (a genuine one is about 1 KB).
        CallbackEnvelope ali = notification("ALIPAY", "P-LONG", "203.0.113.7", Forgery.NONE, Instant.now());
        CallbackEnvelope huge = ali.withBody(ali.body + "&padding=" + "x".repeat(ChannelVerifiers.MAX_CLAIM_BODY));
        Alert b = rejectedAlert(callback(huge));
        assertThat(b.claimedPaymentId).isNull();
        assertThat(b.kafkaKey()).isEqualTo(ali.notifyId);

        // No notification id in the envelope: the record's Kafka key, else its coordinates.
        CallbackEnvelope up = notification("UNIONPAY", "P-ANON", "203.0.113.8", Forgery.NONE, Instant.now());
        CallbackEnvelope anonymous =
                new CallbackEnvelope(up.channel, null, up.sourceAddress, up.receivedAtMs, up.headers, "garbage=1");
        Alert c = rejectedAlert(record(CALLBACKS, "gateway-key-1", anonymous.toJson()));
        assertThat(c.claimedPaymentId).isNull();
        assertThat(c.notifyId).isEqualTo("gateway-key-1");
        assertThat(c.kafkaKey()).isEqualTo("gateway-key-1");
        Alert d = rejectedAlert(record(CALLBACKS, null, anonymous.toJson()));
        assertThat(d.kafkaKey()).isEqualTo("kafka:" + CALLBACKS + "/0@" + (offset - 1));

        // A claimed id longer than any payment id of ours is not a claim.
        CallbackEnvelope longId = notification(
                "ALIPAY", "P".repeat(ChannelVerifiers.MAX_CLAIMED_ID + 1), "203.0.113.7", Forgery.NONE, Instant.now());
        Alert e = rejectedAlert(callback(longId));
        assertThat(e.claimedPaymentId).isNull();
        assertThat(e.kafkaKey()).isEqualTo(longId.notifyId);
    }

    @Test
    void genuineNotificationsPassWithoutAlerts() throws Exception {
        for (String channel : ALL) {
            harness.processElement(
                    callback(notification(
                            channel,
                            "P-OK-" + channel,
                            SimulatedChannels.genuineAddress(channel, 2),
                            Forgery.NONE,
                            Instant.now())),
                    0);
        }
        assertThat(harness.extractOutputValues()).hasSize(3);
        assertThat(harness.getSideOutput(NotificationVerification.REJECTED)).isNull();
    }

    private static void assertForged(Alert a, String claimed, String notifyId, String what) {
        assertThat(a.type).as(what).isEqualTo(Alert.FORGED_CALLBACK);
        assertThat(a.paymentId).as(what + ": nothing verified").isNull();
        assertThat(a.claimedPaymentId).as(what).isEqualTo(claimed);
        assertThat(a.notifyId).as(what).isEqualTo(notifyId);
        assertThat(a.kafkaKey()).as(what + ": keyed by the claimed payment").isEqualTo(claimed);
        assertThat(a.reason).as(what).contains("claims to be about payment " + claimed + " (unverified)");
        assertThat(a.alertId).as(what).startsWith("FORGED_CALLBACK:" + claimed + ":kafka:");
    }

    /** Processes one record and returns the one alert it raised. */
    private Alert rejectedAlert(KafkaRecord r) throws Exception {
        var side = harness.getSideOutput(NotificationVerification.REJECTED);
        int before = side == null ? 0 : side.size();
        harness.processElement(r, 0);
        List<Alert> alerts = new ArrayList<>();
        for (StreamRecord<Alert> s : harness.getSideOutput(NotificationVerification.REJECTED)) {
            alerts.add(s.getValue());
        }
        assertThat(alerts).as("one alert for " + r).hasSize(before + 1);
        return alerts.get(before);
    }

    private KafkaRecord callback(CallbackEnvelope e) {
        return record(CALLBACKS, e.notifyId, e.toJson());
    }

    private KafkaRecord record(String topic, String key, String value) {
        return new KafkaRecord(
                topic, 0, offset++, System.currentTimeMillis(), key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static CallbackEnvelope notification(
            String channel, String paymentId, String address, Forgery f, Instant now) {
        PaymentFacts facts = new PaymentFacts(paymentId, "TXN-" + paymentId, 1200, "SUCCESS", now.minusSeconds(2));
        switch (channel) {
            case "WECHAT":
                return CHANNELS.wechat().notification(facts, now, address, f);
            case "ALIPAY":
                return CHANNELS.alipay().notification(facts, now, address, f);
            default:
                return CHANNELS.unionpay().notification(facts, now, address, f);
        }
    }
}
