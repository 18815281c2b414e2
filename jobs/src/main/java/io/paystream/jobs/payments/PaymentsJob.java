package io.paystream.jobs.payments;

import io.paystream.functions.callbacks.ChannelCredentials;
import io.paystream.functions.callbacks.NotificationVerification;
import io.paystream.functions.payments.OrderPaidTimeouts;
import io.paystream.functions.payments.PaymentTimeouts;
import io.paystream.functions.payments.Schedule;
import io.paystream.jobs.PaystreamJob;
import io.paystream.jobs.cdc.ShopCdcSource;
import io.paystream.jobs.cdc.ShopChangeStreams;
import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.JsonRecordSerializer;
import io.paystream.jobs.kafka.PaystreamKafka;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.Alert;
import io.paystream.state.payments.OrderCommand;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentOutcome;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Payments: one truth per payment. Reads {@code payments} and {@code orders} by CDC and the
 * channels' notifications and query answers from Kafka; verifies every notification, publishes
 * each payment's outcome once ({@code payment.results}), re-queries payments stuck in PAYING
 * ({@code payment.requery}), re-notifies orders never marked PAID ({@code order.commands}) and
 * raises alerts ({@code payment.alerts}). All four outputs are exactly once (transactional Kafka,
 * visible when a checkpoint completes), every command and alert with a deterministic id.
 */
public final class PaymentsJob implements PaystreamJob {
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String PAYMENT_TIMEOUTS_UID = "payment-timeouts";
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String ORDER_PAID_TIMEOUTS_UID = "order-paid-timeouts";

    public static final String NAME = "payments";
    public static final String SERVER_IDS = "5400-5409";

    /** What the job emits, before the sinks. */
    public static final class Outputs {
        public final DataStream<RequeryCommand> requeries;
        public final DataStream<OrderCommand> orderCommands;
        public final DataStream<PaymentOutcome> outcomes;
        public final DataStream<Alert> alerts;
        public final DataStream<DeadLetter> deadLetters;

        /** The same outputs, with more dead letters (e.g. the CDC source's) merged in. */
        public Outputs withDeadLetters(DataStream<DeadLetter> more) {
            return new Outputs(requeries, orderCommands, outcomes, alerts, deadLetters.union(more));
        }

        Outputs(
                DataStream<RequeryCommand> requeries,
                DataStream<OrderCommand> orderCommands,
                DataStream<PaymentOutcome> outcomes,
                DataStream<Alert> alerts,
                DataStream<DeadLetter> deadLetters) {
            this.requeries = requeries;
            this.orderCommands = orderCommands;
            this.outcomes = outcomes;
            this.alerts = alerts;
            this.deadLetters = deadLetters;
        }
    }

    public static void main(String[] args) throws Exception {
        JobRunner.run(new PaymentsJob(), args);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "verify callbacks and publish outcomes once; re-query stuck payments, re-notify unpaid orders, alert on lost payments";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return PaystreamOptions.declaredIn(PaymentOptions.class);
    }

    @Override
    public List<String> statusMetrics() {
        return List.of(
                "openPayments",
                "requeriesSent",
                "recoveredByQuery",
                "lostPaymentsExternal",
                "renotifiesSent",
                "lostPaymentsInternal",
                "outcomesPublished",
                "duplicatesDropped",
                "rejectedForged",
                "rejectedStale",
                "rejectedAmountMismatch",
                "rejectedUnknownPayment");
    }

    @Override
    public void define(StreamExecutionEnvironment env, Settings settings) {
        ShopChangeStreams shop = ShopChangeStreams.read(
                env,
                ShopCdcSource.fromSettings(settings, NAME, SERVER_IDS)
                        .tables(ShopTable.PAYMENTS, ShopTable.ORDERS)
                        .build());
        DataStream<KafkaRecord> callbacks = env.fromSource(
                        PaystreamKafka.inputSource(settings, PaystreamOptions.TOPIC_CALLBACKS, NAME),
                        WatermarkStrategy.noWatermarks(),
                        "payment.callbacks",
                        ShopTypes.KAFKA_RECORD)
                .uid("callbacks-source")
                .name("Channel callbacks (Kafka)");
        DataStream<KafkaRecord> answers = env.fromSource(
                        PaystreamKafka.inputSource(settings, PaystreamOptions.TOPIC_QUERY_RESULTS, NAME),
                        WatermarkStrategy.noWatermarks(),
                        "payment.query-results",
                        ShopTypes.KAFKA_RECORD)
                .uid("query-results-source")
                .name("Query answers (Kafka)");
        Outputs out = build(shop.payments(), shop.orders(), callbacks.union(answers), settings);
        sinkTo(out.withDeadLetters(shop.deadLetters()), settings);
    }

    /** The business logic, from typed streams: tests feed it their own. */
    public static Outputs build(
            DataStream<RowChange<PaymentRow>> payments,
            DataStream<RowChange<OrderRow>> orders,
            DataStream<KafkaRecord> notificationRecords,
            Settings settings) {
        List<String> problems = new ArrayList<>();
        PaymentTimeouts timeouts = null;
        OrderPaidTimeouts orderPaid = null;
        try {
            timeouts = new PaymentTimeouts(
                    Schedule.increasing(settings.get(PaymentOptions.REQUERY_SCHEDULE)),
                    settings.get(PaymentOptions.REQUERY_ANSWER_TIMEOUT),
                    settings.get(PaymentOptions.REMEMBER_FOR),
                    settings.get(PaymentOptions.ROW_WAIT),
                    settings.get(PaymentOptions.STATE_SAFETY_TTL));
            orderPaid = new OrderPaidTimeouts(
                    settings.get(PaymentOptions.INTERNAL_TIMEOUT),
                    Schedule.parse(settings.get(PaymentOptions.INTERNAL_SCHEDULE)),
                    settings.get(PaymentOptions.INTERNAL_GIVE_UP_AFTER),
                    settings.get(PaymentOptions.REMEMBER_FOR),
                    settings.get(PaymentOptions.STATE_SAFETY_TTL));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        ChannelCredentials credentials = null;
        try {
            credentials = ChannelSettings.credentials(settings);
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }

        SingleOutputStreamOperator<PaymentNotification> verified = notificationRecords
                .process(
                        new NotificationVerification(
                                credentials, settings.get(PaystreamOptions.TOPIC_QUERY_RESULTS), NAME),
                        TypeInformation.of(PaymentNotification.class))
                .uid("notification-verification")
                .name("Verify callbacks and query answers");
        SingleOutputStreamOperator<RequeryCommand> requeries = payments.keyBy(
                        c -> c.row().paymentId, TypeInformation.of(String.class))
                .connect(verified.keyBy(n -> n.paymentId, TypeInformation.of(String.class)))
                .process(timeouts, TypeInformation.of(RequeryCommand.class))
                .uid(PAYMENT_TIMEOUTS_UID)
                .name("Payment timeouts and outcomes (per payment)");
        SingleOutputStreamOperator<OrderCommand> orderCommands = orders.keyBy(
                        c -> c.row().orderId, TypeInformation.of(Long.class))
                .connect(payments.keyBy(c -> c.row().orderId, TypeInformation.of(Long.class)))
                .process(orderPaid, TypeInformation.of(OrderCommand.class))
                .uid(ORDER_PAID_TIMEOUTS_UID)
                .name("Order paid timeouts (per order)");
        DataStream<Alert> alerts = requeries
                .getSideOutput(PaymentTimeouts.ALERTS)
                .union(
                        orderCommands.getSideOutput(PaymentTimeouts.ALERTS),
                        verified.getSideOutput(NotificationVerification.REJECTED));
        return new Outputs(
                requeries,
                orderCommands,
                requeries.getSideOutput(PaymentTimeouts.OUTCOMES),
                alerts,
                verified.getSideOutput(NotificationVerification.DEAD_LETTERS));
    }

    /** Exactly-once Kafka sinks for the four outputs; at-least-once for dead letters. */
    public static void sinkTo(Outputs out, Settings settings) {
        out.outcomes
                .sinkTo(PaystreamKafka.exactlyOnceSink(
                        settings,
                        NAME,
                        "results",
                        new JsonRecordSerializer<PaymentOutcome>(
                                settings.get(PaystreamOptions.TOPIC_RESULTS), o -> o.paymentId)))
                .uid("results-sink")
                .name("Payment outcomes to Kafka");
        out.requeries
                .sinkTo(PaystreamKafka.exactlyOnceSink(
                        settings,
                        NAME,
                        "requery",
                        new JsonRecordSerializer<RequeryCommand>(
                                settings.get(PaystreamOptions.TOPIC_REQUERY), RequeryCommand::kafkaKey)))
                .uid("requery-sink")
                .name("Re-query commands to Kafka");
        out.orderCommands
                .sinkTo(PaystreamKafka.exactlyOnceSink(
                        settings,
                        NAME,
                        "order-commands",
                        new JsonRecordSerializer<OrderCommand>(
                                settings.get(PaystreamOptions.TOPIC_ORDER_COMMANDS), OrderCommand::kafkaKey)))
                .uid("order-commands-sink")
                .name("Order commands to Kafka");
        out.alerts
                .sinkTo(PaystreamKafka.exactlyOnceSink(
                        settings,
                        NAME,
                        "alerts",
                        new JsonRecordSerializer<Alert>(settings.get(PaystreamOptions.TOPIC_ALERTS), Alert::kafkaKey)))
                .uid("alerts-sink")
                .name("Alerts to Kafka");
        out.deadLetters
                .sinkTo(PaystreamKafka.deadLetterSink(settings, NAME))
                .uid("dlq-sink")
                .name("Dead letters to Kafka");
    }
}
