package io.paystream.sqlrunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** deploy/sql-client started as a user starts it, from the repository's root, for the tests. */
final class SqlClientProcess {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    private SqlClientProcess() {}

    /**
     * The command with {@code args}, the catalog filled from {@code env} only (none of the test
     * JVM's PAYSTREAM_ variables), logging into {@code logDir}; stdout and stderr together into
     * {@code output}.
     */
    static ProcessBuilder builder(List<String> args, Map<String, String> env, Path logDir, Path output) {
        List<String> command =
                new ArrayList<>(List.of(ROOT.resolve("deploy/sql-client").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PAYSTREAM_"));
        pb.environment().putAll(env);
        pb.environment().put("PAYSTREAM_SQL_CLIENT_NO_BUILD", "1"); // built by this very Maven run
        // Short runs on little data: the JIT's quick tier is enough and takes half the CPU.
        pb.environment().put("PAYSTREAM_SQL_CLIENT_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        pb.environment().put("PAYSTREAM_SQL_CLIENT_LOG_DIR", logDir.toString());
        pb.redirectOutput(output.toFile());
        return pb;
    }
}
