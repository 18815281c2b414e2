package io.paystream.sqlrunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.client.SqlClient;

/**
 * deploy/sql-client: Flink's own SQL client ({@link SqlClient}, embedded mode) with paystream's
 * catalog as its init script, the catalog's placeholders filled from the sandbox's endpoints file
 * ({@code --endpoints FILE}) or the environment. Every other argument goes to the client
 * unchanged: {@code -f FILE} runs a script and ends, no {@code -f} opens the interactive client.
 * Queries run in this JVM on a local Flink mini cluster ({@code execution.target: local} in
 * deploy/sql-runner/conf/config.yaml).
 */
public final class SqlClientRunner {
    private SqlClientRunner() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sql-client: " + e.getMessage());
            status = 2;
        } catch (Throwable t) {
            // SqlClient has printed the statement's error; its log has the rest.
            System.err.println("sql-client: " + t);
            if (System.getenv("PAYSTREAM_SQL_CLIENT_DEBUG") != null) {
                t.printStackTrace();
            }
            status = 1;
        }
        // The embedded gateway and the local cluster leave non-daemon threads behind.
        System.exit(status);
    }

    static int run(String[] args) throws IOException {
        Path endpoints = null;
        Path catalog = Path.of(System.getProperty("paystream.sql.catalog", "sql/catalog.sql"));
        List<Path> moreInit = new ArrayList<>();
        List<String> clientArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--endpoints" -> endpoints = Path.of(value(args, ++i));
                case "--catalog" -> catalog = Path.of(value(args, ++i));
                // The client takes one init script: the catalog, then the caller's, filled alike.
                case "-i", "--init" -> moreInit.add(Path.of(value(args, ++i)));
                case "--help" -> {
                    usage();
                    return 0;
                }
                default -> clientArgs.add(args[i]);
            }
        }
        Map<String, String> values = new HashMap<>(System.getenv());
        if (endpoints != null) {
            values.putAll(CatalogValues.fromSandboxEndpoints(endpoints));
        }
        StringBuilder init = new StringBuilder(Files.readString(catalog));
        for (Path p : moreInit) {
            init.append("\n").append(Files.readString(p));
        }
        String filled = CatalogValues.fill(init.toString(), values);

        // The filled catalog holds the database password: readable by this user only, gone at exit.
        Path initFile = Files.createTempFile("paystream-catalog-", ".sql",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        initFile.toFile().deleteOnExit();
        Files.writeString(initFile, filled);

        List<String> all = new ArrayList<>(List.of("-i", initFile.toString()));
        all.addAll(clientArgs);
        SqlClient.main(all.toArray(new String[0]));
        return 0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.out.println(String.join("\n",
                "usage: deploy/sql-client [--endpoints FILE] [--catalog FILE] [-i FILE] [-f FILE] [other sql-client options]",
                "  --endpoints FILE  fill the catalog from the endpoints file of deploy/sandbox --endpoints-file",
                "                    (otherwise from PAYSTREAM_MYSQL_HOSTNAME, PAYSTREAM_MYSQL_PORT, ... as the jobs)",
                "  --catalog FILE    the catalog init script (default sql/catalog.sql)",
                "  -i FILE           a further init script, run after the catalog",
                "  -f FILE           run a script (e.g. sql/explore/stuck-payments.sql) and end;",
                "                    without -f the interactive client opens",
                "Everything else is passed to Flink's SQL client (sql-client.sh embedded --help)."));
    }
}
