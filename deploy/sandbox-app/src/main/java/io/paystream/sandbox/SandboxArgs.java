package io.paystream.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sandbox's command line. */
final class SandboxArgs {
    long durationSeconds;
    Double rate;
    Long seed;
    Double speed;
    boolean traffic = true;
    Path endpointsFile;
    Path workDir = Path.of(".sandbox");
    int statusEverySeconds = 5;
    int flinkPort = 8081;
    final Map<String, String> settings = new LinkedHashMap<>();

    static final String USAGE = String.join(
            "\n",
            "usage: deploy/sandbox [options]",
            "  --duration SECONDS      stop by itself after this long (default: run until Ctrl-C)",
            "  --rate ORDERS_PER_SEC   simulated shop traffic (default 20)",
            "  --seed N                random seed of the traffic (default 42)",
            "  --speed FACTOR          channels resend this much faster than real time (default 60)",
            "  --set KEY=VALUE         override a job setting (e.g. --set requery.schedule=5s,10s) or a",
            "                          traffic knob (e.g. --set traffic.callbackLost=0.2); repeatable",
            "  --no-traffic            servers and jobs only, for scripts that inject their own data",
            "  --endpoints-file PATH   also write where everything listens as JSON",
            "  --status-every SECONDS  status line period (default 5)",
            "  --work-dir PATH         data, keys and checkpoints (default .sandbox, wiped at start)",
            "  --flink-port PORT       Flink web UI and REST port (default 8081; 0: first free from 8081)");

    static SandboxArgs parse(String[] args) {
        SandboxArgs a = new SandboxArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--duration":
                    a.durationSeconds = Long.parseLong(value(args, ++i, arg));
                    break;
                case "--rate":
                    a.rate = Double.parseDouble(value(args, ++i, arg));
                    break;
                case "--seed":
                    a.seed = Long.parseLong(value(args, ++i, arg));
                    break;
                case "--speed":
                    a.speed = Double.parseDouble(value(args, ++i, arg));
                    break;
                case "--no-traffic":
                    a.traffic = false;
                    break;
                case "--endpoints-file":
                    a.endpointsFile = Path.of(value(args, ++i, arg));
                    break;
                case "--status-every":
                    a.statusEverySeconds = Integer.parseInt(value(args, ++i, arg));
                    break;
                case "--work-dir":
                    a.workDir = Path.of(value(args, ++i, arg));
                    break;
                case "--flink-port":
                    a.flinkPort = Integer.parseInt(value(args, ++i, arg));
                    break;
                case "--set": {
                    String kv = value(args, ++i, arg);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set expects KEY=VALUE, got '" + kv + "'");
                    }
                    a.settings.put(kv.substring(0, eq), kv.substring(eq + 1));
                    break;
                }
                case "-h":
                case "--help":
                    System.out.println(USAGE);
                    System.exit(0);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
            }
        }
        if (a.rate != null && a.rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        if (a.statusEverySeconds < 1) {
            throw new IllegalArgumentException("--status-every must be at least 1");
        }
        return a;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
