package io.paystream.bench;

/** Entry point of bench/run: one benchmark per sub-command (bench/README.md). */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "help";
        int p = Integer.parseInt(System.getProperty("parallelism", "2"));
        System.out.printf(
                "machine: %d cores, JDK %s, max heap %d MB; checkpoints every %s, %s timers%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("bench.checkpoint-interval", "10s"),
                System.getProperty("bench.timers", "rocksdb"));
        switch (what) {
            case "payments-throughput":
                PaymentThroughput.run(arg(args, 1, 4_000_000), p, (int) arg(args, 2, 3));
                break;
            case "payments-lag":
                DetectionLag.run((int) arg(args, 1, 1_000_000), p, (int) arg(args, 2, 5));
                break;
            case "payments-scan":
                DetectionLag.poller((int) arg(args, 1, 1_000_000), (int) arg(args, 2, 5));
                break;
            case "payments-remembered":
                RememberedState.run((int) arg(args, 1, 1_000_000), p);
                break;
            case "callbacks-verify":
                VerificationThroughput.run(arg(args, 1, 200_000), p);
                break;
            case "cdc-ceiling":
                CdcCeiling.run((int) arg(args, 1, 100_000), (int) arg(args, 2, 8096));
                break;
            case "jobs-streaming":
                JobsStreaming.run((int) arg(args, 1, 50_000), p);
                break;
            case "reconcile-bills":
                ReconcileThroughput.run((int) arg(args, 1, 500_000), p, (int) arg(args, 2, 2));
                break;
            default:
                System.out.println(
                        "usage: bench/run payments-throughput [events] [runs] | payments-lag [open-payments] [poll-seconds]"
                                + " | payments-remembered [payments] | callbacks-verify [per-channel] | cdc-ceiling [orders] [chunk-size]"
                                + " | jobs-streaming [orders]"
                                + " | reconcile-bills [lines] [runs]");
        }
        System.exit(0);
    }

    private static long arg(String[] args, int i, long dflt) {
        return args.length > i ? Long.parseLong(args[i]) : dflt;
    }
}
