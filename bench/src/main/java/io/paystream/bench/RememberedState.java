package io.paystream.bench;

import io.paystream.functions.payments.PaymentTimeouts;
import io.paystream.servers.ScratchDirectories;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Bytes of state per remembered (settled, deduplicating) payment: PAYING row, then its verified callback. */
final class RememberedState {
    static final OutputTag<PaymentNotification> NOTIFICATIONS =
            new OutputTag<>("notifications", io.paystream.state.ShopTypes.PAYMENT_NOTIFICATION);

    private RememberedState() {}

    static void run(int payments, int parallelism) throws Exception {
        HoldingSequence.STOP.set(false);
        HoldingSequence.EMITTED.set(0);
        StreamExecutionEnvironment env = BenchEnv.create(parallelism);
        SingleOutputStreamOperator<RowChange<PaymentRow>> rows = env.addSource(
                        new HoldingSequence(2L * payments), "payments", Types.LONG)
                .process(
                        new ProcessFunction<Long, RowChange<PaymentRow>>() {
                            @Override
                            public void processElement(Long i, Context ctx, Collector<RowChange<PaymentRow>> out) {
                                long now = ctx.timerService().currentProcessingTime();
                                if (i % 2 == 0) {
                                    out.collect(Workload.row(i / 2, PaymentStatus.PAYING, now, i + 1));
                                } else {
                                    ctx.output(NOTIFICATIONS, Workload.success(i / 2, now));
                                }
                            }
                        },
                        io.paystream.state.ShopTypes.PAYMENT_CHANGE);
        SingleOutputStreamOperator<RequeryCommand> out = rows.keyBy(c -> c.row().paymentId, Types.STRING)
                .connect(rows.getSideOutput(NOTIFICATIONS).keyBy(n -> n.paymentId, Types.STRING))
                .process(
                        PaymentTimeouts.builder().requerySchedule("10s,20s,30s").build(),
                        TypeInformation.of(RequeryCommand.class));
        out.sinkTo(new DiscardingSink<>());
        out.getSideOutput(PaymentTimeouts.OUTCOMES).sinkTo(new DiscardingSink<>());
        out.getSideOutput(PaymentTimeouts.ALERTS).sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("remembered payments");
        while (HoldingSequence.EMITTED.get() < 2L * payments) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // let the last records reach the operator
        Path dir = ScratchDirectories.create("paystream-bench-savepoint");
        String savepoint = job.triggerSavepoint(dir.toUri().toString(), SavepointFormatType.NATIVE)
                .get(5, TimeUnit.MINUTES);
        long bytes = BenchEnv.directorySize(Path.of(java.net.URI.create(savepoint)));
        HoldingSequence.STOP.set(true);
        job.cancel().get();
        System.out.printf(
                "remembered payments: %,d settled payments kept for deduplication (48 h forget timer included): "
                        + "%,d bytes = %.1f bytes per remembered payment%n",
                payments, bytes, (double) bytes / payments);
    }
}
