package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.RefundFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.state.contract.Alert;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.refunds.RefundNotification;
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
 * The verification operator sends verified refund notifications to their own side output, never to
 * the payment path, and names the refund in the alert of a rejected one.
 */
class RefundRoutingTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    private static final String CALLBACKS = "payment.callbacks";

    private OneInputStreamOperatorTestHarness<KafkaRecord, PaymentNotification> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new NotificationVerification(Credentials.of(CHANNELS), "payment.query-results", "payments"));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void verifiedRefundsOfEveryChannelLeaveByTheRefundOutputOnly() throws Exception {
        Instant now = Instant.now();
        RefundFacts f = RefundFacts.succeeded("R-1", "P-1", "TXN-P-1", 500, 1000, now.minusSeconds(2));
        process(CHANNELS.wechat().refundNotification(f, now, "101.226.103.7", Forgery.NONE));
        process(CHANNELS.alipay().refundNotification(f, now, "110.75.130.9", Forgery.NONE));
        process(CHANNELS.unionpay().refundNotification(f, now, "101.231.204.1", Forgery.NONE));
        // A payment alongside still takes the payment path.
        process(CHANNELS.alipay()
                .notification(new PaymentFacts("P-2", "T-2", 700, "SUCCESS", now), now, "110.75.130.9", Forgery.NONE));

        List<RefundNotification> refunds = values(NotificationVerification.REFUND_NOTIFICATIONS);
        assertThat(refunds).extracting(r -> r.refundId).containsExactly("R-1", "R-1", "R-1");
        assertThat(refunds).extracting(r -> r.channel.name()).containsExactly("WECHAT", "ALIPAY", "UNIONPAY");
        assertThat(harness.extractOutputValues()).extracting(n -> n.paymentId).containsExactly("P-2");
        assertThat(harness.getSideOutput(NotificationVerification.REJECTED)).isNull();
    }

    @Test
    void aForgedRefundsAlertNamesTheClaimedRefundAndPayment() throws Exception {
        Instant now = Instant.now();
        RefundFacts f = RefundFacts.succeeded("R-9", "P-9", "TXN-P-9", 500, 1000, now);
        process(CHANNELS.alipay().refundNotification(f, now, "203.0.113.9", Forgery.NONE));
        process(CHANNELS.unionpay().refundNotification(f, now, "101.231.204.1", Forgery.BAD_SIGNATURE));

        List<Alert> alerts = values(NotificationVerification.REJECTED);
        Alert ali = alerts.get(0);
        assertThat(ali.type).isEqualTo(Alert.FORGED_CALLBACK);
        assertThat(ali.paymentId).isNull();
        assertThat(ali.claimedPaymentId).isEqualTo("P-9");
        assertThat(ali.reason)
                .contains("not allowed")
                .endsWith("; it claims to be about refund R-9 of payment P-9 (unverified)");
        assertThat(ali.kafkaKey()).isEqualTo("P-9");
        assertThat(ali.alertId).isEqualTo("FORGED_CALLBACK:P-9:kafka:" + CALLBACKS + "/0@0");

        Alert up = alerts.get(1);
        assertThat(up.claimedPaymentId)
                .as("UnionPay names the payment by queryId only")
                .isNull();
        assertThat(up.reason).endsWith("; it claims to be about refund R-9 (unverified)");
        assertThat(up.kafkaKey()).isEqualTo(up.notifyId).startsWith("R-9-");
        assertThat(values(NotificationVerification.REFUND_NOTIFICATIONS)).isEmpty();
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aStaleRefundsAlertNamesTheRefundAndPaymentAsSigned() throws Exception {
        Instant now = Instant.now();
        RefundFacts f = RefundFacts.succeeded("R-OLD", "P-OLD", "TXN-P-OLD", 500, 1000, now);
        process(CHANNELS.wechat().refundNotification(f, now, "101.226.103.7", Forgery.STALE));

        Alert a = values(NotificationVerification.REJECTED).get(0);
        assertThat(a.type).isEqualTo(Alert.STALE_CALLBACK);
        assertThat(a.paymentId).isEqualTo("P-OLD");
        assertThat(a.claimedPaymentId).isNull();
        assertThat(a.reason).endsWith("; refund R-OLD of payment P-OLD");
        assertThat(a.alertId).isEqualTo("STALE_CALLBACK:P-OLD:kafka:" + CALLBACKS + "/0@0");
    }

    @Test
    void anUnreadableRefundIsADeadLetterWithItsReasonAndRawRecord() throws Exception {
        Instant now = Instant.now();
        RefundFacts noRefundId = new RefundFacts("", "P-M", "TXN-P-M", "RF-M", 100, 100, 100, "SUCCESS", now);
        CallbackEnvelope e = CHANNELS.alipay().refundNotification(noRefundId, now, "110.75.130.9", Forgery.NONE);
        process(e);

        List<DeadLetter> dead = values(NotificationVerification.DEAD_LETTERS);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reason).contains("out_biz_no");
        assertThat(dead.get(0).raw).isEqualTo(e.toJson());
        assertThat(dead.get(0).source).isEqualTo("kafka:" + CALLBACKS + "/0@0");
        assertThat(values(NotificationVerification.REFUND_NOTIFICATIONS)).isEmpty();
    }

    private void process(CallbackEnvelope e) throws Exception {
        harness.processElement(
                new KafkaRecord(
                        CALLBACKS,
                        0,
                        offset++,
                        System.currentTimeMillis(),
                        e.notifyId,
                        e.toJson().getBytes(StandardCharsets.UTF_8)),
                0);
    }

    private <T> List<T> values(org.apache.flink.util.OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        var side = harness.getSideOutput(tag);
        if (side != null) {
            for (StreamRecord<T> r : side) {
                out.add(r.getValue());
            }
        }
        return out;
    }
}
