package io.paystream.jobs.payments;

import io.paystream.functions.callbacks.ChannelCredentials;
import io.paystream.functions.callbacks.NotificationVerification;
import io.paystream.functions.options.InvalidOptionsException;
import io.paystream.functions.payments.OrderPaidTimeouts;
import io.paystream.functions.payments.PaymentTimeouts;
import io.paystream.functions.refunds.RefundTimeouts;
import io.paystream.functions.refunds.RefundsExceedPayment;
import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.kafka.JsonRecordSerializer;
import io.paystream.jobs.kafka.PaystreamKafka;
import io.paystream.jobs.runtime.JobInputs;
import io.paystream.jobs.runtime.JobOutputs;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.ShopRows;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.kafka.KafkaRecord;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentOutcome;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.refunds.RefundOutcome;
import io.paystream.state.refunds.RefundRequeryCommand;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Payments: one truth per payment. Reads {@code payments} and {@code orders} by CDC and the
 * channels' notifications and query answers from Kafka; verifies every notification, publishes
 * each payment's outcome once ({@code payment.results}), re-queries payments stuck in PAYING
 * ({@code payment.requery}), re-notifies orders never marked PAID ({@code order.commands}) and
 * raises alerts ({@code payment.alerts}). Refunds likewise: each refund's outcome once
 * ({@code refund.results}), refunds stuck in REFUNDING re-queried ({@code refund.requery}) and then
 * alerted {@code LOST_REFUND}, refunds adding up to more than their payment alerted. All six outputs
 * are exactly once (transactional Kafka, visible when a checkpoint completes), every command and
 * alert with a deterministic id.
 */
public final class PaymentsJob implements PaystreamJob<PaymentsJob.Inputs, PaymentsJob.Outputs> {
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String PAYMENT_TIMEOUTS_UID = "payment-timeouts";
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String ORDER_PAID_TIMEOUTS_UID = "order-paid-timeouts";
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String REFUND_TIMEOUTS_UID = "refund-timeouts";
    /** uid of a stateful operator: fixed for savepoints, also read by the savepoint report. */
    public static final String REFUNDS_EXCEED_PAYMENT_UID = "refunds-exceed-payment";

    public static final String NAME = "payments";
    public static final String SERVER_IDS = "5400-5409";

    /**
     * What the job reads: {@code payments}, {@code orders} and {@code refunds} by CDC (refunds only
     * when the table mapping has them), the two Kafka input topics.
     */
    public static class Inputs extends JobInputs {
        public Inputs(Settings settings) {
            super(settings, NAME, SERVER_IDS, ShopTable.PAYMENTS, ShopTable.ORDERS, ShopTable.REFUNDS);
        }

        /** The channels' notifications, as received ({@code payment.callbacks}). */
        public DataStream<KafkaRecord> callbacks(StreamExecutionEnvironment env) {
            return env.fromSource(
                            PaystreamKafka.inputSource(settings, PaystreamOptions.TOPIC_CALLBACKS, NAME),
                            WatermarkStrategy.noWatermarks(),
                            "payment.callbacks",
                            ShopTypes.KAFKA_RECORD)
                    .uid("callbacks-source")
                    .name("Channel callbacks (Kafka)");
        }

        /** The payment center's query answers ({@code payment.query-results}). */
        public DataStream<KafkaRecord> queryAnswers(StreamExecutionEnvironment env) {
            return env.fromSource(
                            PaystreamKafka.inputSource(settings, PaystreamOptions.TOPIC_QUERY_RESULTS, NAME),
                            WatermarkStrategy.noWatermarks(),
                            "payment.query-results",
                            ShopTypes.KAFKA_RECORD)
                    .uid("query-results-source")
                    .name("Query answers (Kafka)");
        }
    }

    /** What the job emits, before the sinks. */
    public static final class Outputs extends JobOutputs {
        public final DataStream<RequeryCommand> requeries;
        public final DataStream<OrderCommand> orderCommands;
        public final DataStream<PaymentOutcome> outcomes;
        public final DataStream<Alert> alerts;
        public final DataStream<RefundOutcome> refundOutcomes;
        public final DataStream<RefundRequeryCommand> refundRequeries;

        Outputs(
                DataStream<RequeryCommand> requeries,
                DataStream<OrderCommand> orderCommands,
                DataStream<PaymentOutcome> outcomes,
                DataStream<Alert> alerts,
                DataStream<RefundOutcome> refundOutcomes,
                DataStream<RefundRequeryCommand> refundRequeries,
                DataStream<DeadLetter> deadLetters) {
            super(deadLetters);
            this.requeries = requeries;
            this.orderCommands = orderCommands;
            this.outcomes = outcomes;
            this.alerts = alerts;
            this.refundOutcomes = refundOutcomes;
            this.refundRequeries = refundRequeries;
        }

        @Override
        protected Map<String, DataStream<?>> named() {
            Map<String, DataStream<?>> m = new LinkedHashMap<>();
            m.put("results", outcomes);
            m.put("requery", requeries);
            m.put("order-commands", orderCommands);
            m.put("alerts", alerts);
            m.put("refund-results", refundOutcomes);
            m.put("refund-requery", refundRequeries);
            return m;
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
        return "verify callbacks and publish outcomes once; re-query stuck payments, re-notify unpaid orders, alert on lost payments;"
                + " the same for refunds";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return PaystreamOptions.declaredIn(PaymentOptions.class);
    }

    @Override
    public Inputs inputs(Settings settings) {
        return new Inputs(settings);
    }

    @Override
    public Outputs wire(StreamExecutionEnvironment env, Inputs inputs, Settings settings) {
        ShopRows shop = inputs.shop(env);
        DataStream<RowChange<PaymentRow>> payments = shop.payments();
        DataStream<RowChange<OrderRow>> orders = shop.orders();
        DataStream<KafkaRecord> notificationRecords = inputs.callbacks(env).union(inputs.queryAnswers(env));

        PaymentFunctions fns = PaymentFunctions.of(settings);
        SingleOutputStreamOperator<PaymentNotification> verified = notificationRecords
                .process(
                        new NotificationVerification(
                                fns.credentials(), settings.get(PaystreamOptions.TOPIC_QUERY_RESULTS), NAME),
                        ShopTypes.PAYMENT_NOTIFICATION)
                .uid("notification-verification")
                .name("Verify callbacks and query answers");
        SingleOutputStreamOperator<RequeryCommand> requeries = payments.keyBy(
                        c -> c.row().paymentId, TypeInformation.of(String.class))
                .connect(verified.keyBy(n -> n.paymentId, TypeInformation.of(String.class)))
                .process(fns.timeouts(), TypeInformation.of(RequeryCommand.class))
                .uid(PAYMENT_TIMEOUTS_UID)
                .name("Payment timeouts and outcomes (per payment)");
        SingleOutputStreamOperator<OrderCommand> orderCommands = orders.keyBy(
                        c -> c.row().orderId, TypeInformation.of(Long.class))
                .connect(payments.keyBy(c -> c.row().orderId, TypeInformation.of(Long.class)))
                .process(fns.orderPaid(), TypeInformation.of(OrderCommand.class))
                .uid(ORDER_PAID_TIMEOUTS_UID)
                .name("Order paid timeouts (per order)");
        // Refunds: the same truth per refund as per payment (row, notifications, schedule, outcome
        // once), then the money rule per payment over the refunds' verified outcomes.
        SingleOutputStreamOperator<RefundRequeryCommand> refundRequeries = shop.refunds()
                .keyBy(c -> c.row().refundId, TypeInformation.of(String.class))
                .connect(verified.getSideOutput(NotificationVerification.REFUND_NOTIFICATIONS)
                        .keyBy(n -> n.refundId, TypeInformation.of(String.class)))
                .process(fns.refundTimeouts(), TypeInformation.of(RefundRequeryCommand.class))
                .uid(REFUND_TIMEOUTS_UID)
                .name("Refund timeouts and outcomes (per refund)");
        DataStream<RefundOutcome> refundOutcomes = refundRequeries.getSideOutput(RefundTimeouts.OUTCOMES);
        SingleOutputStreamOperator<Alert> refundsExceeding = payments.keyBy(
                        c -> c.row().paymentId, TypeInformation.of(String.class))
                .connect(refundOutcomes.keyBy(o -> o.paymentId, TypeInformation.of(String.class)))
                .process(fns.refundsExceedPayment(), TypeInformation.of(Alert.class))
                .uid(REFUNDS_EXCEED_PAYMENT_UID)
                .name("Refunds never exceed the payment (per payment)");
        DataStream<Alert> alerts = requeries
                .getSideOutput(PaymentTimeouts.ALERTS)
                .union(
                        orderCommands.getSideOutput(OrderPaidTimeouts.ALERTS),
                        verified.getSideOutput(NotificationVerification.REJECTED),
                        refundRequeries.getSideOutput(RefundTimeouts.ALERTS),
                        refundsExceeding);
        return new Outputs(
                requeries,
                orderCommands,
                requeries.getSideOutput(PaymentTimeouts.OUTCOMES),
                alerts,
                refundOutcomes,
                refundRequeries,
                verified.getSideOutput(NotificationVerification.DEAD_LETTERS).union(shop.deadLetters()));
    }

    /** The job's functions, from the settings; every bad setting is named at once. */
    private record PaymentFunctions(
            PaymentTimeouts timeouts,
            OrderPaidTimeouts orderPaid,
            RefundTimeouts refundTimeouts,
            RefundsExceedPayment refundsExceedPayment,
            ChannelCredentials credentials) {
        static PaymentFunctions of(Settings settings) {
            List<String> problems = new ArrayList<>();
            PaymentTimeouts timeouts = null;
            OrderPaidTimeouts orderPaid = null;
            RefundTimeouts refundTimeouts = null;
            RefundsExceedPayment refundsExceedPayment = null;
            Configuration config = settings.toConfiguration();
            try {
                refundTimeouts = RefundTimeouts.builder().from(config).build();
            } catch (InvalidOptionsException e) {
                problems.addAll(e.problems());
            }
            try {
                refundsExceedPayment =
                        RefundsExceedPayment.builder().from(config).build();
            } catch (InvalidOptionsException e) {
                problems.addAll(e.problems());
            }
            try {
                timeouts = PaymentTimeouts.builder().from(config).build();
            } catch (InvalidOptionsException e) {
                problems.addAll(e.problems());
            }
            try {
                orderPaid = OrderPaidTimeouts.builder().from(config).build();
            } catch (InvalidOptionsException e) {
                problems.addAll(e.problems());
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
            return new PaymentFunctions(timeouts, orderPaid, refundTimeouts, refundsExceedPayment, credentials);
        }
    }

    /** Exactly-once Kafka sinks for the six outputs; at-least-once for dead letters. */
    @Override
    public void sinkTo(Outputs out, Settings settings) {
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
        out.refundOutcomes
                .sinkTo(PaystreamKafka.exactlyOnceSink(
                        settings,
                        NAME,
                        "refund-results",
                        new JsonRecordSerializer<RefundOutcome>(
                                settings.get(PaystreamOptions.TOPIC_REFUND_RESULTS), o -> o.refundId)))
                .uid("refund-results-sink")
                .name("Refund outcomes to Kafka");
        out.refundRequeries
                .sinkTo(PaystreamKafka.exactlyOnceSink(
                        settings,
                        NAME,
                        "refund-requery",
                        new JsonRecordSerializer<RefundRequeryCommand>(
                                settings.get(PaystreamOptions.TOPIC_REFUND_REQUERY), RefundRequeryCommand::kafkaKey)))
                .uid("refund-requery-sink")
                .name("Refund re-query commands to Kafka");
        PaystreamKafka.sinkOrderCommands(out.orderCommands, settings, NAME);
        PaystreamKafka.sinkAlerts(out.alerts, settings, NAME);
        PaystreamKafka.sinkDeadLetters(out.deadLetters, settings, NAME);
    }
}
