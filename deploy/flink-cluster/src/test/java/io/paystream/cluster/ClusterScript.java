package io.paystream.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code deploy/cluster} as a user does, against one cluster directory, and checks it succeeded. */
final class ClusterScript {
    private static final Pattern SAVEPOINT = Pattern.compile("(?m)^savepoint: (\\S+)$");

    private final Path root;
    private final Path dir;

    ClusterScript(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    String run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs the script with {@code env} added to its environment; fails with its output unless it exits 0. */
    String run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("deploy/cluster").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PAYSTREAM_CLUSTER_DIR", dir.toString());
        pb.environment().put("PAYSTREAM_CLUSTER_NO_BUILD", "1"); // the reactor build just made the jar and lib/
        // Flink's client (submit, stop-job, list) runs seconds: the JIT's quick tier is enough and
        // takes a third less CPU than both tiers (measured: 2.5 s against 3.7 s for a submission's main).
        pb.environment().put("PAYSTREAM_CLUSTER_CLIENT_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir.getParent(), "cluster-", ".out");
        pb.redirectOutput(out.toFile());
        long started = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "deploy/cluster " + String.join(" ", args) + " did not finish:\n" + Files.readString(out));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        System.out.printf(
                "deploy/cluster %s: exit %d after %.1f s%n",
                args[0], p.exitValue(), (System.nanoTime() - started) / 1e9);
        if (p.exitValue() != 0) {
            throw new AssertionError(
                    "deploy/cluster " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + output);
        }
        return output;
    }

    /** Stops a job with a savepoint and returns the savepoint's path. */
    String stopJob(String job) throws IOException, InterruptedException {
        String output = run("stop-job", job);
        Matcher m = SAVEPOINT.matcher(output);
        if (!m.find()) {
            throw new AssertionError("no savepoint path in:\n" + output);
        }
        return m.group(1);
    }

    long pid(String process) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(process + ".pid")).trim());
    }
}
