package io.paystream.functions.callbacks;

import io.paystream.state.contract.Alert;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.refunds.RefundNotification;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Verifies every record of {@code payment.callbacks} and {@code payment.query-results} before
 * anything trusts it. Stateless, so it runs at any parallelism in front of the keyed stage.
 * Accepted notifications go on; forged and stale ones become alerts; unreadable ones dead letters.
 * Verified refund notifications leave by {@link #REFUND_NOTIFICATIONS}, so the payment path never
 * sees them (an Alipay refund told on the trade notify is not a second payment outcome).
 */
public class NotificationVerification extends ProcessFunction<KafkaRecord, PaymentNotification> {
    private static final long serialVersionUID = 1L;
    private static final int MAX_RAW = 64 * 1024;
    /** A notification id longer than this is not used as the alert's key (the coordinates are). */
    static final int MAX_NOTIFY_ID = 128;

    public static final OutputTag<Alert> REJECTED =
            new OutputTag<>("rejected-notifications", TypeInformation.of(Alert.class));
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("malformed-notifications", TypeInformation.of(DeadLetter.class));
    /** Verified refund notifications (WeChat Pay REFUND.*, Alipay refunds on the trade notify, UnionPay txnType 04). */
    public static final OutputTag<RefundNotification> REFUND_NOTIFICATIONS =
            new OutputTag<>("refund-notifications", TypeInformation.of(RefundNotification.class));

    private final ChannelCredentials credentials;
    private final String queryResultsTopic;
    private final String jobName;

    private transient ChannelVerifiers verifiers;
    private transient Counter verified;
    private transient Counter refundsVerified;
    private transient Counter deadLetters;
    private transient Map<String, Counter> rejectedByType;

    public NotificationVerification(ChannelCredentials credentials, String queryResultsTopic, String jobName) {
        this.credentials = credentials;
        this.queryResultsTopic = queryResultsTopic;
        this.jobName = jobName;
    }

    @Override
    public void open(OpenContext openContext) {
        verifiers = new ChannelVerifiers(credentials);
        var metrics = getRuntimeContext().getMetricGroup();
        verified = metrics.counter("notificationsVerified");
        refundsVerified = metrics.counter("refundNotificationsVerified");
        deadLetters = metrics.counter("deadLetters");
        rejectedByType = new HashMap<>();
        rejectedByType.put(Alert.FORGED_CALLBACK, metrics.counter("rejectedForged"));
        rejectedByType.put(Alert.STALE_CALLBACK, metrics.counter("rejectedStale"));
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<PaymentNotification> out) {
        if (record.value == null) {
            deadLetter(record, "empty record", ctx);
            return;
        }
        boolean query = record.topic.equals(queryResultsTopic);
        Verdict v = query
                ? verifiers.verifyQueryAnswer(record.value, record.timestampMs)
                : verifiers.verifyCallback(record.value);
        switch (v.kind) {
            case ACCEPTED:
                if (v.refund != null) {
                    refundsVerified.inc();
                    ctx.output(REFUND_NOTIFICATIONS, v.refund);
                    break;
                }
                verified.inc();
                out.collect(v.notification);
                break;
            case REJECTED:
                // Never trusted, never published: a person should know someone sent it.
                ctx.output(REJECTED, alert(v, record, ctx.timerService().currentProcessingTime()));
                rejectedByType.get(v.alertType).inc();
                break;
            default:
                deadLetter(record, v.reason, ctx);
        }
    }

    /**
     * The alert of a rejected record: the payment it is about (verified) or claims (unverified, a
     * forger chooses it), and its notification id, so that it is keyed (docs/contract.md).
     */
    public static Alert alert(Verdict v, KafkaRecord record, long now) {
        Alert a = new Alert();
        a.type = v.alertType;
        a.paymentId = v.paymentId;
        a.claimedPaymentId = v.claimedPaymentId;
        a.notifyId = bounded(v.notifyId) != null
                ? v.notifyId
                : bounded(record.key) != null ? record.key : record.coordinates();
        a.reason = v.isRefund()
                ? v.reason + refundNamed(v)
                : v.claimedPaymentId == null
                        ? v.reason
                        : v.reason + "; it claims to be about payment " + v.claimedPaymentId + " (unverified)";
        String subject = v.paymentId != null ? v.paymentId : v.claimedPaymentId != null ? v.claimedPaymentId : "-";
        a.alertId = a.type + ":" + subject + ":" + record.coordinates();
        a.raisedAt = now;
        return a;
    }

    /**
     * How a rejected refund notification's alert names its refund and payment (the alert has no
     * refund field: the reason carries it): as claimed (forged) or as signed (stale).
     */
    private static String refundNamed(Verdict v) {
        if (v.refundId != null) {
            return "; refund " + v.refundId + (v.paymentId == null ? "" : " of payment " + v.paymentId);
        }
        return "; it claims to be about refund " + v.claimedRefundId
                + (v.claimedPaymentId == null ? "" : " of payment " + v.claimedPaymentId) + " (unverified)";
    }

    /** A notification id short enough to be a key; null otherwise. */
    private static String bounded(String id) {
        return id == null || id.isEmpty() || id.length() > MAX_NOTIFY_ID ? null : id;
    }

    private void deadLetter(KafkaRecord record, String reason, Context ctx) {
        String raw = record.value == null
                ? ""
                : new String(record.value, 0, Math.min(record.value.length, MAX_RAW), StandardCharsets.UTF_8);
        DeadLetter dl = new DeadLetter(
                record.coordinates(), reason, raw, ctx.timerService().currentProcessingTime());
        dl.job = jobName;
        ctx.output(DEAD_LETTERS, dl);
        deadLetters.inc();
    }
}
