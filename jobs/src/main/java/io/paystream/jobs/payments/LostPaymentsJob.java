package io.paystream.jobs.payments;

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
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopTable;
import io.paystream.state.payments.Alert;
import io.paystream.state.payments.OrderCommand;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Lost payments: re-query commands and alerts for payments stuck in PAYING (external loss), and
 * re-notify commands and alerts for successful payments whose order never turned PAID (internal
 * loss). Reads {@code payments} and {@code orders} by CDC; writes {@code payment.requery},
 * {@code order.commands} and {@code payment.alerts} exactly once (transactional, visible when a
 * checkpoint completes), every command and alert with a deterministic id.
 */
public final class LostPaymentsJob implements PaystreamJob {
    public static final String NAME = "lost-payments";
    public static final String SERVER_IDS = "5400-5409";

    /** What the job emits, before the sinks. */
    public static final class Outputs {
        public final DataStream<RequeryCommand> requeries;
        public final DataStream<OrderCommand> orderCommands;
        public final DataStream<Alert> alerts;

        Outputs(DataStream<RequeryCommand> requeries, DataStream<OrderCommand> orderCommands, DataStream<Alert> alerts) {
            this.requeries = requeries;
            this.orderCommands = orderCommands;
            this.alerts = alerts;
        }
    }

    public static void main(String[] args) throws Exception {
        JobRunner.run(new LostPaymentsJob(), args);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "re-query payments stuck in PAYING, re-notify orders never marked PAID, alert on lost payments";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return PaystreamOptions.declaredIn(LostPaymentsOptions.class);
    }

    @Override
    public List<String> statusMetrics() {
        return List.of("openPayments", "requeriesSent", "recoveredAfterRequery", "lostPaymentsExternal",
                "renotifiesSent", "lostPaymentsInternal");
    }

    @Override
    public void define(StreamExecutionEnvironment env, Settings settings) {
        ShopChangeStreams shop = ShopChangeStreams.read(env,
                ShopCdcSource.fromSettings(settings, NAME, SERVER_IDS).tables(ShopTable.PAYMENTS, ShopTable.ORDERS).build());
        Outputs out = build(shop.payments(), shop.orders(), settings);
        sinkTo(out, settings);
        shop.deadLetters().sinkTo(PaystreamKafka.deadLetterSink(settings, NAME)).uid("dlq-sink").name("Dead letters to Kafka");
    }

    /** The business logic, from typed change streams: tests feed it their own streams. */
    public static Outputs build(DataStream<RowChange<PaymentRow>> payments, DataStream<RowChange<OrderRow>> orders, Settings settings) {
        PaymentTimeouts external;
        OrderPaidTimeouts internal;
        try {
            external = new PaymentTimeouts(
                    Schedule.increasing(settings.get(LostPaymentsOptions.REQUERY_SCHEDULE)),
                    settings.get(LostPaymentsOptions.REQUERY_ANSWER_TIMEOUT),
                    settings.get(LostPaymentsOptions.SETTLED_RETENTION),
                    settings.get(LostPaymentsOptions.STATE_SAFETY_TTL));
            internal = new OrderPaidTimeouts(
                    settings.get(LostPaymentsOptions.INTERNAL_TIMEOUT),
                    Schedule.parse(settings.get(LostPaymentsOptions.INTERNAL_SCHEDULE)),
                    settings.get(LostPaymentsOptions.INTERNAL_GIVE_UP_AFTER),
                    settings.get(LostPaymentsOptions.SETTLED_RETENTION),
                    settings.get(LostPaymentsOptions.STATE_SAFETY_TTL));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(List.of(e.getMessage()));
        }

        SingleOutputStreamOperator<RequeryCommand> requeries = payments
                .keyBy(c -> c.row().paymentId, TypeInformation.of(String.class))
                .process(external, TypeInformation.of(RequeryCommand.class))
                .uid("payment-timeouts")
                .name("Payment timeouts (re-query, external loss)");
        SingleOutputStreamOperator<OrderCommand> orderCommands = orders
                .keyBy(c -> c.row().orderId, TypeInformation.of(Long.class))
                .connect(payments.keyBy(c -> c.row().orderId, TypeInformation.of(Long.class)))
                .process(internal, TypeInformation.of(OrderCommand.class))
                .uid("order-paid-timeouts")
                .name("Order paid timeouts (re-notify, internal loss)");
        DataStream<Alert> alerts = requeries.getSideOutput(PaymentTimeouts.ALERTS)
                .union(orderCommands.getSideOutput(PaymentTimeouts.ALERTS));
        return new Outputs(requeries, orderCommands, alerts);
    }

    /** Exactly-once Kafka sinks for the three outputs. */
    public static void sinkTo(Outputs out, Settings settings) {
        out.requeries.sinkTo(PaystreamKafka.exactlyOnceSink(settings, NAME, "requery",
                        new JsonRecordSerializer<RequeryCommand>(settings.get(PaystreamOptions.TOPIC_REQUERY), c -> c.paymentId)))
                .uid("requery-sink").name("Re-query commands to Kafka");
        out.orderCommands.sinkTo(PaystreamKafka.exactlyOnceSink(settings, NAME, "order-commands",
                        new JsonRecordSerializer<OrderCommand>(settings.get(PaystreamOptions.TOPIC_ORDER_COMMANDS), c -> String.valueOf(c.orderId))))
                .uid("order-commands-sink").name("Order commands to Kafka");
        out.alerts.sinkTo(PaystreamKafka.exactlyOnceSink(settings, NAME, "alerts",
                        new JsonRecordSerializer<Alert>(settings.get(PaystreamOptions.TOPIC_ALERTS),
                                a -> a.paymentId != null ? a.paymentId : String.valueOf(a.orderId))))
                .uid("alerts-sink").name("Alerts to Kafka");
    }
}
