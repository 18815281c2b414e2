package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.RefundFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.state.contract.Alert;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentChannel;
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
 * Refund query answers ({@code "kind":"REFUND"} on {@code payment.query-results}): verified with the
 * same keys and HMAC as payment answers, routed to the refund notifications with {@code
 * source=QUERY}; forged ones are FORGED_CALLBACK naming the refund they claim, stale ones
 * STALE_CALLBACK, unreadable ones dead letters; none reaches the payment path.
 */
class RefundQueryAnswerTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    private static final String QUERY_RESULTS = "payment.query-results";
    private static final Instant REFUNDED = Instant.parse("2026-11-27T11:59:00Z");

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

    private static RefundFacts refund(String refundId, String status) {
        return RefundFacts.succeeded(refundId, "P-" + refundId, "T-" + refundId, 1500, 5000, REFUNDED)
                .withStatus(status);
    }

    @Test
    void genuineRefundAnswersOfEveryStatusBecomeQueryRefundNotifications() throws Exception {
        Instant now = Instant.now();
        process(CHANNELS.queryAnswers().refundAnswer("R1:7:1", "WECHAT", refund("R1", "SUCCESS"), now, false));
        process(CHANNELS.queryAnswers().refundAnswer("R2:7:2", "ALIPAY", refund("R2", "PROCESSING"), now, false));
        process(CHANNELS.queryAnswers().refundAnswer("R3:7:1", "UNIONPAY", refund("R3", "ABNORMAL"), now, false));
        process(CHANNELS.queryAnswers().refundAnswer("R4:7:3", "WECHAT", refund("R4", "CLOSED"), now, false));

        assertThat(harness.extractOutputValues())
                .as("nothing on the payment path")
                .isEmpty();
        assertThat(harness.getSideOutput(NotificationVerification.REJECTED)).isNull();
        List<RefundNotification> r = refunds();
        assertThat(r).hasSize(4);

        RefundNotification success = r.get(0);
        assertThat(success.refundId).isEqualTo("R1");
        assertThat(success.paymentId).isEqualTo("P-R1");
        assertThat(success.channel).isEqualTo(PaymentChannel.WECHAT);
        assertThat(success.status).isEqualTo(RefundStatus.SUCCESS);
        assertThat(success.channelRefundId).isEqualTo("RFR1");
        assertThat(success.refundAmountCents).isEqualTo(1500L);
        assertThat(success.refundedAt).isEqualTo(REFUNDED.toEpochMilli());
        assertThat(success.source).isEqualTo(RefundNotification.QUERY);
        assertThat(success.notifyId).isEqualTo("R1:7:1");
        assertThat(success.receivedAt).isEqualTo(now.toEpochMilli());

        assertThat(r.get(1).status).as("PROCESSING: no outcome yet").isNull();
        assertThat(r.get(1).refundedAt).isZero();
        assertThat(r.get(2).status).as("ABNORMAL is FAILED").isEqualTo(RefundStatus.FAILED);
        assertThat(r.get(2).channel).isEqualTo(PaymentChannel.UNIONPAY);
        assertThat(r.get(3).status).isEqualTo(RefundStatus.CLOSED);
        assertThat(r).allMatch(n -> RefundNotification.QUERY.equals(n.source));
    }

    @Test
    void forgedRefundAnswersAreRejectedNamingTheClaimedRefund() throws Exception {
        String forged = CHANNELS.queryAnswers()
                .refundAnswer("R-F:1:1", "WECHAT", refund("R-F", "SUCCESS"), Instant.now(), true);
        Alert a = rejected(forged);
        assertThat(a.type).isEqualTo(Alert.FORGED_CALLBACK);
        assertThat(a.paymentId).isNull();
        assertThat(a.claimedPaymentId).isEqualTo("P-R-F");
        assertThat(a.notifyId).isEqualTo("R-F:1:1");
        assertThat(a.reason).contains("HMAC").contains("claims to be about refund R-F of payment P-R-F (unverified)");

        String genuine = CHANNELS.queryAnswers()
                .refundAnswer("R-K:1:1", "WECHAT", refund("R-K", "SUCCESS"), Instant.now(), false);
        Alert b = rejected(
                genuine.replace("\"keyId\":\"" + CHANNELS.queryAnswers().keyId() + "\"", "\"keyId\":\"nobody\""));
        assertThat(b.type).isEqualTo(Alert.FORGED_CALLBACK);
        assertThat(b.reason).contains("unknown key id").contains("refund R-K");
        assertThat(refunds()).isEmpty();
    }

    @Test
    void staleRefundAnswersAreRejectedNamingTheirRefundAsSigned() throws Exception {
        String old = CHANNELS.queryAnswers()
                .refundAnswer(
                        "R-S:1:1",
                        "ALIPAY",
                        refund("R-S", "SUCCESS"),
                        Instant.now().minusSeconds(7200),
                        false);
        Alert a = rejected(old);
        assertThat(a.type).isEqualTo(Alert.STALE_CALLBACK);
        assertThat(a.paymentId).isEqualTo("P-R-S");
        assertThat(a.reason).contains("refund R-S of payment P-R-S");
        assertThat(refunds()).isEmpty();
    }

    @Test
    void unreadableRefundAnswersAreDeadLetters() throws Exception {
        String genuine = CHANNELS.queryAnswers()
                .refundAnswer("R-U:1:1", "WECHAT", refund("R-U", "SUCCESS"), Instant.now(), false);
        // Signed, but with a status the contract does not know: malformed, never guessed.
        String payload = "{\"kind\":\"REFUND\",\"commandId\":\"R-U:1:1\",\"refundId\":\"R-U\",\"paymentId\":\"P-R-U\","
                + "\"channel\":\"WECHAT\",\"status\":\"MAYBE\",\"queriedAt\":" + System.currentTimeMillis() + "}";
        process(signed(payload));
        String noRefundId = "{\"kind\":\"REFUND\",\"commandId\":\"R-U:1:2\",\"paymentId\":\"P-R-U\","
                + "\"channel\":\"WECHAT\",\"status\":\"SUCCESS\",\"queriedAt\":" + System.currentTimeMillis() + "}";
        process(signed(noRefundId));
        var dead = harness.getSideOutput(NotificationVerification.DEAD_LETTERS);
        assertThat(dead).hasSize(2);
        List<String> reasons = new ArrayList<>();
        for (StreamRecord<DeadLetter> d : dead) {
            reasons.add(d.getValue().reason);
        }
        assertThat(reasons.get(0)).contains("MAYBE");
        assertThat(reasons.get(1)).contains("no refundId");
        assertThat(refunds()).isEmpty();
        assertThat(genuine).contains("\\\"kind\\\":\\\"REFUND\\\"");
    }

    /** A payload signed with the query answers' key, as the worker signs it. */
    private static String signed(String payload) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(
                    CHANNELS.queryAnswers().secret().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            String sig =
                    java.util.Base64.getEncoder().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var env = json.createObjectNode();
            env.put("keyId", CHANNELS.queryAnswers().keyId());
            env.put("signature", sig);
            env.put("payload", payload);
            return env.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void process(String value) throws Exception {
        harness.processElement(
                new KafkaRecord(
                        QUERY_RESULTS,
                        0,
                        offset++,
                        System.currentTimeMillis(),
                        null,
                        value.getBytes(StandardCharsets.UTF_8)),
                0);
    }

    private Alert rejected(String value) throws Exception {
        var side = harness.getSideOutput(NotificationVerification.REJECTED);
        int before = side == null ? 0 : side.size();
        process(value);
        List<Alert> alerts = new ArrayList<>();
        for (StreamRecord<Alert> s : harness.getSideOutput(NotificationVerification.REJECTED)) {
            alerts.add(s.getValue());
        }
        assertThat(alerts).hasSize(before + 1);
        return alerts.get(before);
    }

    private List<RefundNotification> refunds() {
        List<RefundNotification> out = new ArrayList<>();
        var side = harness.getSideOutput(NotificationVerification.REFUND_NOTIFICATIONS);
        if (side != null) {
            for (StreamRecord<RefundNotification> s : side) {
                out.add(s.getValue());
            }
        }
        return out;
    }
}
