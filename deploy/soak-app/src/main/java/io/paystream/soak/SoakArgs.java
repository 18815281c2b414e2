package io.paystream.soak;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code deploy/soak} options; every problem is reported at once, naming the option. */
final class SoakArgs {
    static final String USAGE = String.join(
            "\n",
            "usage: deploy/soak [--duration SECONDS] [--seed N] [--faults KIND,...] [--rate ORDERS_PER_SEC]",
            "                   [--no-ha] [--short-outages] [--no-edges] [--work-dir DIR]",
            "  --duration SECONDS  inject faults for this long (default 300; 0: each kind once; every kind is always injected at least once)",
            "  --seed N            the fault schedule and the traffic (default 1)",
            "  --faults KINDS      comma-separated, default all: taskmanager,jobmanager,kafka,elasticsearch,redis,mariadb,savepoint,garbage",
            "  --rate N            orders per second of the simulated shop (default 8)",
            "  --no-ha             no ZooKeeper HA: the jobmanager fault is left out",
            "  --short-outages     Elasticsearch outages of 30 s instead of 30-90 s, pauses of 2-4 s between faults (the CI soak)",
            "  --no-edges          the channels write notifications to Kafka and the shop answers re-queries,",
            "                      instead of the callback gateway and the query worker over HTTP",
            "  --work-dir DIR      where the servers, the cluster and the logs live (default .soak; wiped at start)");

    long durationSeconds = 300;
    long seed = 1;
    List<FaultKind> faults = new ArrayList<>(List.of(FaultKind.values()));
    double rate = 8;
    boolean ha = true;
    boolean shortOutages;
    /** The channels reach Kafka through the callback gateway and the query worker (deploy/gateway, deploy/query-worker). */
    boolean edges = true;

    Path workDir = Path.of(".soak");

    static SoakArgs parse(String[] argv) {
        SoakArgs a = new SoakArgs();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String opt = argv[i];
            if (opt.equals("--no-ha")) {
                a.ha = false;
                continue;
            }
            if (opt.equals("--no-edges")) {
                a.edges = false;
                continue;
            }
            if (opt.equals("--short-outages")) {
                a.shortOutages = true;
                continue;
            }
            if (opt.equals("-h") || opt.equals("--help")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= argv.length) {
                problems.add(opt + ": needs a value");
                break;
            }
            String v = argv[++i];
            try {
                switch (opt) {
                    case "--duration" -> a.durationSeconds = notNegative(opt, Long.parseLong(v));
                    case "--seed" -> a.seed = Long.parseLong(v);
                    case "--rate" -> a.rate = positive(opt, Double.parseDouble(v));
                    case "--work-dir" -> a.workDir = Path.of(v);
                    case "--faults" -> {
                        a.faults = new ArrayList<>();
                        for (String k : v.split(",")) {
                            a.faults.add(FaultKind.named(k.trim()));
                        }
                    }
                    default -> problems.add(opt + ": no such option");
                }
            } catch (NumberFormatException e) {
                problems.add(opt + ": not a number: " + v);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!a.ha) {
            a.faults.remove(FaultKind.JOBMANAGER);
        }
        if (a.faults.isEmpty()) {
            problems.add("--faults: no fault kind left to inject");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems) + "\n" + USAGE);
        }
        return a;
    }

    private static long notNegative(String opt, long n) {
        if (n < 0) {
            throw new IllegalArgumentException(opt + ": must not be negative, got " + n);
        }
        return n;
    }

    private static <N extends Number> N positive(String opt, N n) {
        if (n.doubleValue() <= 0) {
            throw new IllegalArgumentException(opt + ": must be positive, got " + n);
        }
        return n;
    }
}
