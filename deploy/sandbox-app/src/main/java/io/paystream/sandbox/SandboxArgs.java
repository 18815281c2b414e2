package io.paystream.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** How long a compressed bill day lasts (the simulated channels write a bill per channel per day). */
    java.time.Duration billDay = java.time.Duration.ofSeconds(60);
    /** How long after a bill day ends its bills are written (late notifications still land on it). */
    java.time.Duration billDelay = java.time.Duration.ofSeconds(5);

    final Map<String, String> settings = new LinkedHashMap<>();
    /** The shop's own tables (docs/mapping.md); null: the contract schema and its simulated traffic. */
    Path mapping;

    final List<Path> schemas = new ArrayList<>();

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
            "  --mapping FILE          run the jobs on your own tables (docs/mapping.md; needs --no-traffic):",
            "                          the mapping is checked and what is on and off printed before any job starts",
            "  --schema FILE.sql       DDL to create first, as mysqldump --no-data writes it (each file may",
            "                          create and use its own databases); repeatable; needs --mapping",
            "  --endpoints-file PATH   also write where everything listens as JSON",
            "  --status-every SECONDS  status line period (default 5)",
            "  --work-dir PATH         data, keys and checkpoints (default .sandbox, wiped at start)",
            "  --flink-port PORT       Flink web UI and REST port (default 8081; 0: first free from 8081)",
            "  --bill-day SECONDS      length of a compressed bill day (default 60): WeChat Pay and Alipay write",
            "                          a trade bill of each day into <work dir>/bills, with injected discrepancies",
            "  --bill-delay SECONDS    write a day's bills this long after it ends (default 5)");

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
                case "--bill-day":
                    a.billDay = seconds(value(args, ++i, arg));
                    break;
                case "--bill-delay":
                    a.billDelay = seconds(value(args, ++i, arg));
                    break;
                case "--mapping":
                    a.mapping = userPath(value(args, ++i, arg));
                    break;
                case "--schema":
                    a.schemas.add(userPath(value(args, ++i, arg)));
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
        if (a.billDay.toMillis() < 1000) {
            throw new IllegalArgumentException("--bill-day must be at least 1 second");
        }
        if (a.billDelay.isNegative()) {
            throw new IllegalArgumentException("--bill-delay must not be negative");
        }
        if (a.statusEverySeconds < 1) {
            throw new IllegalArgumentException("--status-every must be at least 1");
        }
        if (a.mapping != null && a.traffic) {
            throw new IllegalArgumentException("--mapping needs --no-traffic: the simulated shop writes the contract"
                    + " schema (docs/contract.md), not your tables; insert your own rows (the MySQL users are in the"
                    + " endpoints)");
        }
        if (!a.schemas.isEmpty() && a.mapping == null) {
            throw new IllegalArgumentException(
                    "--schema needs --mapping FILE: without a mapping the jobs read the contract schema,"
                            + " which the sandbox creates itself");
        }
        if (a.settings.containsKey("mysql.mapping")) {
            throw new IllegalArgumentException("--set mysql.mapping: give the mapping as --mapping FILE (the sandbox"
                    + " checks it and points its servers at the local MariaDB)");
        }
        if (a.mapping != null && !Files.isRegularFile(a.mapping)) {
            throw new IllegalArgumentException("--mapping " + a.mapping + ": no such file");
        }
        for (Path schema : a.schemas) {
            if (!Files.isRegularFile(schema)) {
                throw new IllegalArgumentException("--schema " + schema + ": no such file");
            }
        }
        return a;
    }

    /**
     * A file the user names, relative to where they ran deploy/sandbox (the script changes to the
     * repository's root and passes the directory it was run from).
     */
    private static Path userPath(String path) {
        String cwd = System.getenv("PAYSTREAM_SANDBOX_CWD");
        return cwd == null ? Path.of(path) : Path.of(cwd).resolve(path).normalize();
    }

    /** Seconds, fractions allowed ({@code 0.5}), to the millisecond. */
    private static java.time.Duration seconds(String text) {
        return java.time.Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
