package io.paystream.bench;

import io.paystream.functions.payments.PaymentTimeouts;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Events/s through the per-payment operator (RocksDB, incremental checkpoints every 10 s), beside
 * two ceilings measured in the same run: a no-op pipeline, and keyed RocksDB state with a timer
 * registered and deleted per event (PERF.md's "RocksDB + timers").
 *
 * <p>Workload per payment: its PAYING row (schedule starts, timer registered), its verified
 * callback (published, schedule stopped, timer deleted), a resend of the callback (dropped as a
 * duplicate), its SUCCESS row (replay guard, marker kept); the callbacks and the SUCCESS row
 * {@link #CALLBACK_LAG} payments after the PAYING row ({@link Split}).
 */
final class PaymentThroughput {
    /**
     * How many payments later a payment's callbacks and SUCCESS row come than its PAYING row ({@code
     * -Dbench.callback-lag}; 0 emits them at once, the workload of the figures before 2026-12-02).
     */
    static final long CALLBACK_LAG = Long.getLong("bench.callback-lag", 10_000);

    static final String EMITTED = "events emitted";
    static final OutputTag<PaymentNotification> NOTIFICATIONS =
            new OutputTag<>("notifications", io.paystream.state.ShopTypes.PAYMENT_NOTIFICATION);

    private PaymentThroughput() {}

    static void run(long events, int parallelism, int runs) throws Exception {
        System.out.printf(
                "payments throughput: %,d events, parallelism %d, callbacks %,d payments after their PAYING row%n",
                events, parallelism, CALLBACK_LAG);
        for (int r = 1; r <= runs; r++) {
            double noop = noop(events, parallelism);
            double ceiling = rocksDbTimers(events, parallelism);
            double subject = paymentTimeouts(events, parallelism);
            System.out.printf(
                    "run %d: no-op %,.0f/s | RocksDB+timers ceiling %,.0f/s | payment operator %,.0f/s (%.0f%% of the ceiling)%n",
                    r, noop, ceiling, subject, 100 * subject / ceiling);
        }
    }

    static double noop(long events, int parallelism) throws Exception {
        StreamExecutionEnvironment env = BenchEnv.create(parallelism);
        env.fromSequence(0, events - 1).map(i -> i).returns(Types.LONG).sinkTo(new DiscardingSink<>());
        return rate(events, env.execute("no-op"));
    }

    static double rocksDbTimers(long events, int parallelism) throws Exception {
        StreamExecutionEnvironment env = BenchEnv.create(parallelism);
        env.fromSequence(0, events - 1)
                .keyBy(i -> i / 2, Types.LONG)
                .process(new StateAndTimer())
                .returns(Types.LONG)
                .sinkTo(new DiscardingSink<>());
        return rate(events, env.execute("rocksdb+timers"));
    }

    static double paymentTimeouts(long events, int parallelism) throws Exception {
        StreamExecutionEnvironment env = BenchEnv.create(parallelism);
        SingleOutputStreamOperator<RowChange<PaymentRow>> rows =
                env.fromSequence(0, events - 1).process(new Split(), io.paystream.state.ShopTypes.PAYMENT_CHANGE);
        DataStream<PaymentNotification> notifications = rows.getSideOutput(NOTIFICATIONS);
        SingleOutputStreamOperator<RequeryCommand> out = rows.keyBy(c -> c.row().paymentId, Types.STRING)
                .connect(notifications.keyBy(n -> n.paymentId, Types.STRING))
                .process(
                        PaymentTimeouts.builder().requerySchedule("10s,20s,30s").build(),
                        TypeInformation.of(RequeryCommand.class));
        out.sinkTo(new DiscardingSink<>());
        out.getSideOutput(PaymentTimeouts.OUTCOMES).sinkTo(new DiscardingSink<>());
        out.getSideOutput(PaymentTimeouts.ALERTS).sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute("payment operator");
        return rate(result.<Long>getAccumulatorResult(EMITTED), result);
    }

    private static double rate(long events, JobExecutionResult result) {
        return events * 1000.0 / result.getNetRuntime();
    }

    /**
     * Four events per payment: PAYING row, callback, resent callback, SUCCESS row. The callbacks and
     * the SUCCESS row of a payment come {@link #CALLBACK_LAG} payments after its PAYING row, as in a
     * shop, where a payment is PAYING for seconds before the channel calls back. (Emitted at once,
     * the rows and the callbacks, which reach the operator on two inputs, overtook each other in
     * the network buffers, and many callbacks waited for their row: the rare path, measured as the
     * common one.) The last {@code CALLBACK_LAG} payments stay PAYING; the rate counts the events
     * emitted.
     */
    static final class Split extends ProcessFunction<Long, RowChange<PaymentRow>> {
        private transient org.apache.flink.api.common.accumulators.LongCounter emitted;

        @Override
        public void open(OpenContext openContext) {
            emitted = getRuntimeContext().getLongCounter(EMITTED);
        }

        @Override
        public void processElement(Long i, Context ctx, Collector<RowChange<PaymentRow>> out) {
            long payment = i / 4;
            long settled = payment - CALLBACK_LAG;
            long now = ctx.timerService().currentProcessingTime();
            switch ((int) (i % 4)) {
                case 0:
                    out.collect(Workload.row(payment, PaymentStatus.PAYING, now, payment * 4 + 1));
                    emitted.add(1);
                    break;
                case 1:
                case 2:
                    if (settled >= 0) {
                        ctx.output(NOTIFICATIONS, Workload.success(settled, now));
                        emitted.add(1);
                    }
                    break;
                default:
                    if (settled >= 0) {
                        out.collect(Workload.row(settled, PaymentStatus.SUCCESS, now, settled * 4 + 3));
                        emitted.add(1);
                    }
            }
        }
    }

    /** The ceiling: a 4-field POJO in keyed RocksDB state and a timer registered, then deleted. */
    static final class StateAndTimer extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<FourFields> state;

        @Override
        public void open(OpenContext openContext) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("v", FourFields.class));
        }

        @Override
        public void processElement(Long i, Context ctx, Collector<Long> out) throws Exception {
            FourFields v = state.value();
            if (v == null) {
                v = new FourFields();
                v.a = i;
                v.b = i + 1;
                v.c = 10_000;
                v.d = ctx.timerService().currentProcessingTime() + 600_000;
                state.update(v);
                ctx.timerService().registerProcessingTimeTimer(v.d);
            } else {
                ctx.timerService().deleteProcessingTimeTimer(v.d);
                state.clear();
            }
        }
    }

    /** A 4-field POJO, as in PERF.md's ceilings. */
    public static class FourFields {
        public long a;
        public long b;
        public long c;
        public long d;
    }
}
