package io.paystream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.Pem;
import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.callbacks.ChannelCredentials;
import io.paystream.functions.callbacks.ChannelVerifiers;
import io.paystream.functions.callbacks.NotificationVerification;
import io.paystream.functions.callbacks.Verdict;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.RequeryCommand;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every alert and command record has a non-null Kafka key, the one docs/contract.md names for its
 * type: checked on the serializers of the real job graphs (every job, every Kafka sink), with
 * alerts of every type as their producers build them (the rejected notifications' by the real
 * verification).
 */
class RecordKeysTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();

    @Test
    void everyAlertTypeHasASampleHere() throws IllegalAccessException {
        TreeSet<String> types = new TreeSet<>();
        for (Field f : Alert.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                types.add((String) f.get(null));
            }
        }
        TreeSet<String> sampled = new TreeSet<>();
        alerts().keySet().forEach(a -> sampled.add(a.type));
        assertThat(sampled)
                .as("a new alert type needs its key rule and samples here")
                .isEqualTo(types);
    }

    @Test
    void everyJobKeysEveryAlertAndCommandAsTheContractSays(@TempDir Path keys) throws Exception {
        Map<String, List<String>> sinksByJob = new LinkedHashMap<>();
        for (PaystreamJob job : PaystreamJobs.all()) {
            List<String> checked = new ArrayList<>();
            for (JsonRecordSerializer<Object> s : jsonSerializers(job, keys)) {
                if (s.topic().equals(PaystreamOptions.TOPIC_ALERTS.defaultValue())) {
                    assertKeys(job, s, alerts());
                } else if (s.topic().equals(PaystreamOptions.TOPIC_ORDER_COMMANDS.defaultValue())) {
                    assertKeys(job, s, orderCommands());
                } else if (s.topic().equals(PaystreamOptions.TOPIC_REQUERY.defaultValue())) {
                    assertKeys(job, s, requeries());
                } else {
                    continue;
                }
                checked.add(s.topic());
            }
            sinksByJob.put(job.name(), checked);
        }
        assertThat(sinksByJob)
                .as("the alert and command sinks of every job were checked")
                .containsEntry("payments", List.of("payment.requery", "order.commands", "payment.alerts"))
                .containsEntry("stock-ledger", List.of("payment.alerts", "order.commands"))
                .containsEntry("order-search", List.of());
    }

    private static void assertKeys(PaystreamJob job, JsonRecordSerializer<Object> s, Map<?, String> samples) {
        samples.forEach((sample, expected) -> {
            ProducerRecord<byte[], byte[]> r = s.serialize(sample, null, null);
            assertThat(r.key())
                    .as(job.name() + " " + s.topic() + ": key of " + sample)
                    .isNotNull();
            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .as(job.name() + " " + s.topic() + ": key of " + sample)
                    .isEqualTo(expected);
        });
    }

    /** Alerts of every type as their producers build them, with the key the contract names. */
    static Map<Alert, String> alerts() {
        Map<Alert, String> m = new LinkedHashMap<>();
        // payments: PaymentTimeouts, OrderPaidTimeouts
        m.put(payment(Alert.LOST_PAYMENT_EXTERNAL, "P-1", 11L), "P-1");
        m.put(payment(Alert.LOST_PAYMENT_INTERNAL, "P-2", 12L), "P-2");
        m.put(payment(Alert.AMOUNT_MISMATCH, "P-3", 13L), "P-3");
        m.put(payment(Alert.UNKNOWN_PAYMENT, "P-4", null), "P-4");
        m.put(payment(Alert.FORGED_CALLBACK, "P-5", 15L), "P-5"); // a verified notification of the wrong channel
        // refunds: RefundTimeouts, RefundsExceedPayment (keyed by the payment, else the refund)
        m.put(refund(Alert.LOST_REFUND, "P-6", "R-6", 16L), "P-6");
        m.put(refund(Alert.REFUND_EXCEEDS_PAYMENT, "P-7", null, 17L), "P-7");
        m.put(refund(Alert.UNKNOWN_REFUND, "P-8", "R-8", null), "P-8");
        m.put(refund(Alert.UNKNOWN_REFUND, null, "R-9", null), "R-9"); // a UnionPay refund names no payment
        m.put(payment(Alert.RECONCILE_CHANNEL_ONLY, "P-10", 30L), "P-10");
        m.put(payment(Alert.RECONCILE_LOCAL_ONLY, "P-11", 31L), "P-11");
        m.put(payment(Alert.RECONCILE_AMOUNT_MISMATCH, "P-12", 32L), "P-12");
        m.put(refund(Alert.RECONCILE_STATUS_MISMATCH, "P-13", "R-13", 33L), "P-13");
        Alert summary = new Alert();
        summary.type = Alert.RECONCILE_SUMMARY_MISMATCH;
        summary.alertId = "recon-summary:WECHAT:2026-12-01:lineCount";
        m.put(summary, "recon-summary:WECHAT:2026-12-01:lineCount"); // no payment: keyed by its id
        // payments: NotificationVerification, through the real verifiers
        ChannelVerifiers verifiers = new ChannelVerifiers(credentials());
        long offset = 0;
        for (String channel : new String[] {"WECHAT", "ALIPAY", "UNIONPAY"}) {
            for (Forgery f : new Forgery[] {Forgery.BAD_SIGNATURE, Forgery.UNKNOWN_KEY, Forgery.TAMPERED_BODY}) {
                String id = "P-" + channel + "-" + f;
                m.put(
                        rejected(
                                verifiers,
                                notification(channel, id, SimulatedChannels.genuineAddress(channel, 1), f),
                                offset++),
                        id);
            }
            String id = "P-" + channel + "-OUTSIDE";
            m.put(rejected(verifiers, notification(channel, id, "203.0.113.5", Forgery.NONE), offset++), id);
            if (!channel.equals("UNIONPAY")) {
                String stale = "P-" + channel + "-STALE";
                m.put(
                        rejected(
                                verifiers,
                                notification(
                                        channel, stale, SimulatedChannels.genuineAddress(channel, 1), Forgery.STALE),
                                offset++),
                        stale);
            }
        }
        CallbackEnvelope nothingReadable = new CallbackEnvelope(
                "ALIPAY", "NOTIFY-1", "203.0.113.5", Instant.now().toEpochMilli(), Map.of(), "x=1");
        m.put(rejected(verifiers, nothingReadable, offset++), "NOTIFY-1");
        CallbackEnvelope anonymous = new CallbackEnvelope(
                "ALIPAY", null, "203.0.113.5", Instant.now().toEpochMilli(), Map.of(), "x=1");
        m.put(rejected(verifiers, anonymous, 77), "kafka:payment.callbacks/0@77");
        String forgedAnswer = CHANNELS.queryAnswers()
                .answer(
                        "P-Q:1:1",
                        "WECHAT",
                        new PaymentFacts("P-Q", "T", 100, "SUCCESS", Instant.now()),
                        Instant.now(),
                        true);
        KafkaRecord answer =
                new KafkaRecord("payment.query-results", 0, 5, 0, null, forgedAnswer.getBytes(StandardCharsets.UTF_8));
        m.put(NotificationVerification.alert(verifiers.verifyQueryAnswer(answer.value, 0), answer, 1), "P-Q");
        // stock-ledger: StockLedger, UnpaidOrderRisk, DuplicateSubmissions
        Alert oversold = order(Alert.OVERSOLD, 1001L, 21L, 7L);
        m.put(oversold, "1001");
        m.put(order(Alert.PURCHASE_LIMIT_EXCEEDED, 1002L, 22L, 7L), "1002");
        m.put(order(Alert.SUSPICIOUS_ACCOUNT, null, 23L, 88L), "88");
        Alert byIp = order(Alert.SUSPICIOUS_ACCOUNT, null, 24L, null);
        byIp.clientIp = "203.0.113.7";
        m.put(byIp, "203.0.113.7");
        m.put(order(Alert.DUPLICATE_SUBMISSION, null, 25L, 88L), "25");
        // an alert without its type's subject (paystream emits none) is keyed all the same
        Alert bare = new Alert();
        bare.type = Alert.OVERSOLD;
        bare.alertId = "OVERSOLD:?:26";
        bare.orderId = 26L;
        m.put(bare, "26");
        return m;
    }

    private static Alert payment(String type, String paymentId, Long orderId) {
        Alert a = new Alert();
        a.type = type;
        a.alertId = type + ":" + paymentId + ":1";
        a.paymentId = paymentId;
        a.orderId = orderId;
        a.channel = "WECHAT";
        a.amount = "1.00";
        return a;
    }

    private static Alert refund(String type, String paymentId, String refundId, Long orderId) {
        Alert a = payment(type, paymentId, orderId);
        a.alertId = type + ":" + (refundId == null ? paymentId : refundId) + ":1";
        a.refundId = refundId;
        return a;
    }

    private static Alert order(String type, Long skuId, long orderId, Long userId) {
        Alert a = new Alert();
        a.type = type;
        a.alertId = type + ":" + orderId;
        a.skuId = skuId;
        a.orderId = orderId;
        a.userId = userId;
        return a;
    }

    private static Alert rejected(ChannelVerifiers verifiers, CallbackEnvelope e, long offset) {
        KafkaRecord r = new KafkaRecord(
                "payment.callbacks", 0, offset, 0, e.notifyId, e.toJson().getBytes(StandardCharsets.UTF_8));
        Verdict v = verifiers.verifyCallback(r.value);
        assertThat(v.kind).as(v.toString()).isEqualTo(Verdict.Kind.REJECTED);
        return NotificationVerification.alert(v, r, 1);
    }

    private static CallbackEnvelope notification(String channel, String paymentId, String address, Forgery f) {
        Instant now = Instant.now();
        PaymentFacts facts = new PaymentFacts(paymentId, "T-" + paymentId, 990, "SUCCESS", now.minusSeconds(1));
        switch (channel) {
            case "WECHAT":
                return CHANNELS.wechat().notification(facts, now, address, f);
            case "ALIPAY":
                return CHANNELS.alipay().notification(facts, now, address, f);
            default:
                return CHANNELS.unionpay().notification(facts, now, address, f);
        }
    }

    static Map<OrderCommand, String> orderCommands() {
        Map<OrderCommand, String> m = new LinkedHashMap<>();
        for (String type : new String[] {
            OrderCommand.RENOTIFY_BUSINESS,
            OrderCommand.CANCEL_UNPAID,
            OrderCommand.CANCEL_DUPLICATE,
            OrderCommand.CANCEL_OVER_LIMIT
        }) {
            OrderCommand c = new OrderCommand();
            c.type = type;
            c.orderId = 31 + m.size();
            c.commandId = type + ":" + c.orderId;
            m.put(c, String.valueOf(c.orderId));
        }
        return m;
    }

    static Map<RequeryCommand, String> requeries() {
        RequeryCommand c = new RequeryCommand();
        c.paymentId = "P-R";
        c.orderId = 41;
        c.commandId = RequeryCommand.commandId("P-R", 1, 1);
        return Map.of(c, "P-R");
    }

    /** The simulated channels' keys, as the payments job configures them. */
    private static ChannelCredentials credentials() {
        ChannelCredentials c = new ChannelCredentials();
        c.wechatMchId = CHANNELS.wechat().mchId();
        c.wechatPlatformKeys.put(
                CHANNELS.wechat().serial(),
                Pem.publicKey(CHANNELS.wechat().platformKey().getPublic()));
        c.wechatApiV3Key = CHANNELS.wechat().apiV3Key();
        c.wechatAllowlist = SimulatedChannels.WECHAT_ADDRESSES;
        c.alipayAppId = CHANNELS.alipay().appId();
        c.alipayPublicKey = Pem.publicKey(CHANNELS.alipay().alipayKey().getPublic());
        c.alipayAllowlist = SimulatedChannels.ALIPAY_ADDRESSES;
        c.unionpayMerId = CHANNELS.unionpay().merId();
        c.unionpayPublicKeys.put(
                CHANNELS.unionpay().certId(),
                Pem.publicKey(CHANNELS.unionpay().signKey().getPublic()));
        c.unionpayHmacSecret = CHANNELS.unionpay().hmacSecret();
        c.unionpayAllowlist = SimulatedChannels.UNIONPAY_ADDRESSES;
        c.queryKeys.put(CHANNELS.queryAnswers().keyId(), CHANNELS.queryAnswers().secret());
        return c;
    }

    /** Every JsonRecordSerializer of the job's Kafka sinks, from its real graph. */
    @SuppressWarnings("unchecked")
    private static List<JsonRecordSerializer<Object>> jsonSerializers(PaystreamJob job, Path keys) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        JobRunner.define(job, settings(job, keys), env);
        List<JsonRecordSerializer<Object>> out = new ArrayList<>();
        Field field = KafkaSink.class.getDeclaredField("recordSerializer");
        field.setAccessible(true);
        for (Transformation<?> t : env.getTransformations()) {
            if (t instanceof SinkTransformation<?, ?> sink && sink.getSink() instanceof KafkaSink<?> kafka) {
                Object serializer = field.get(kafka);
                if (serializer instanceof JsonRecordSerializer<?> json) {
                    out.add((JsonRecordSerializer<Object>) json);
                }
            }
        }
        return out;
    }

    private static Settings settings(PaystreamJob job, Path keys) {
        List<String> args = new ArrayList<>(List.of("--mysql.password", "not-used"));
        if (job.name().equals("payments")) {
            CHANNELS.publish(keys).forEach((k, v) -> {
                args.add("--" + k);
                args.add(v);
            });
        }
        if (job.name().equals("reconciliation")) {
            args.addAll(List.of("--reconcile.bills.path", keys.toString(), "--reconcile.first-day", "2026-12-01"));
        }
        return JobRunner.settings(job, args.toArray(new String[0]), Map.of());
    }
}
