package io.paystream.sqlrunner;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.client.cli.CliClient;
import org.apache.flink.table.client.cli.CliOptions;
import org.apache.flink.table.client.cli.CliOptionsParser;
import org.apache.flink.table.client.cli.CliStrings;
import org.apache.flink.table.client.gateway.DefaultContextUtils;
import org.apache.flink.table.client.gateway.Executor;
import org.apache.flink.table.client.gateway.SingleSessionManager;
import org.apache.flink.table.gateway.SqlGateway;
import org.apache.flink.table.gateway.api.endpoint.SqlGatewayEndpointFactoryUtils;
import org.apache.flink.table.gateway.rest.util.SqlGatewayRestOptions;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.apache.flink.util.NetUtils;

/**
 * deploy/sql-client: Flink's own SQL client ({@link CliClient} on an embedded SQL gateway, as
 * {@code sql-client.sh embedded} runs it) with paystream's catalog as its init script, the
 * catalog's placeholders filled from the sandbox's endpoints file ({@code --endpoints FILE}) or
 * the environment. The other arguments are the client's own: {@code -f FILE} runs a script and
 * ends, no {@code -f} opens the interactive client. Queries run in this JVM on a local Flink mini
 * cluster ({@code execution.target: local} in deploy/sql-runner/conf/config.yaml).
 *
 * <p>Unlike {@code sql-client.sh}, which ends with status 0 whatever failed, a failed catalog
 * statement or a failed statement of the {@code -f} script ends it with status 1: the client runs
 * its statements through a {@link FailureRecordingExecutor}. A script's INSERT runs to its end
 * ({@code table.dml-sync}): the cluster it runs on ends with this JVM.
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
            System.err.println("sql-client: " + t);
            if (System.getenv("PAYSTREAM_SQL_CLIENT_DEBUG") != null) {
                t.printStackTrace();
            }
            status = 1;
        }
        // The local cluster leaves non-daemon threads behind.
        System.exit(status);
    }

    static int run(String[] args) throws Exception {
        Path endpoints = null;
        String mappingArg = null;
        Path catalog = Path.of(System.getProperty("paystream.sql.catalog", "sql/catalog.sql"));
        List<Path> moreInit = new ArrayList<>();
        List<String> clientArgs = new ArrayList<>();
        // sql-client.sh's mode comes first: embedded is the only one here.
        int first = args.length > 0 && args[0].equals("embedded") ? 1 : 0;
        if (args.length > 0 && args[0].equals("gateway")) {
            throw new IllegalArgumentException(
                    "deploy/sql-client runs the client embedded; for a SQL gateway use Flink's sql-client.sh gateway");
        }
        for (int i = first; i < args.length; i++) {
            switch (args[i]) {
                case "--endpoints" -> endpoints = Path.of(value(args, ++i));
                case "--catalog" -> catalog = Path.of(value(args, ++i));
                case "--mysql.mapping" -> mappingArg = value(args, ++i);
                // One init script: the catalog, then the caller's, filled alike.
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
        String catalogText = Files.readString(catalog);
        MappedCatalog mapped = null;
        if (mappingArg != null
                || !values.getOrDefault(CatalogValues.envName("mysql.mapping"), "")
                        .isEmpty()) {
            mapped = MappedTables.load(mappingArg, values);
            catalogText = MappedTables.replaceShopTables(catalogText, mapped.ddl());
            values.putAll(mapped.passwords());
        }
        StringBuilder init = new StringBuilder(catalogText);
        for (Path p : moreInit) {
            init.append("\n").append(Files.readString(p));
        }
        // Filled in memory only: the filled catalog holds the database password.
        String filledInit = CatalogValues.fill(init.toString(), values);

        CliOptions.EmbeddedCliOptions options =
                CliOptionsParser.parseEmbeddedModeClient(clientArgs.toArray(new String[0]));
        if (options.isPrintHelp()) {
            usage();
            return 0;
        }
        if (options.getSqlFile() != null && options.getUpdateStatement() != null) {
            throw new IllegalArgumentException("-f and -u exclude each other");
        }
        String script = options.getSqlFile() != null ? read(options.getSqlFile()) : options.getUpdateStatement();

        DefaultContext context = DefaultContextUtils.buildDefaultContext(options);
        if (script != null) {
            context.getFlinkConfig().set(TableConfigOptions.TABLE_DML_SYNC, true);
        }
        try (LocalGateway gateway = LocalGateway.start(context);
                FailureRecordingExecutor executor = new FailureRecordingExecutor(
                        Executor.create(context, gateway.address(), options.getSessionId()),
                        mapped == null ? UnaryOperator.identity() : mapped::rewrite);
                CliClient client = new CliClient(CliClient.DEFAULT_TERMINAL_FACTORY, executor, historyFile(options))) {
            if (!client.executeInitialization(filledInit)) {
                // The client shows nothing of a failed init script (its output goes to the log): show it here.
                FailureRecordingExecutor.Failure f = executor.firstFailure();
                System.err.println(
                        "sql-client: the catalog " + catalog + (moreInit.isEmpty() ? "" : " (with " + moreInit + ")")
                                + " failed"
                                + (f == null
                                        ? ""
                                        : " at `" + f.firstLine() + "`\n"
                                                + CliStrings.messageError(
                                                        "Could not execute SQL statement.", f.cause(), false)));
                return 1;
            }
            if (script == null) {
                client.executeInInteractiveMode();
                return 0;
            }
            executor.runningScript();
            client.executeInNonInteractiveMode(script);
            FailureRecordingExecutor.Failure f = executor.firstFailure();
            if (f != null) {
                // The client has shown the error ([ERROR] ...) and run nothing after it.
                System.err.println("sql-client: "
                        + (options.getSqlFile() != null ? options.getSqlFile().getPath() : "-u")
                        + " stopped at a failed statement: `" + f.firstLine() + "`");
                return 1;
            }
            return 0;
        }
    }

    /** Flink's SQL gateway on a free port of localhost, as the embedded client has it. */
    private record LocalGateway(SqlGateway gateway, NetUtils.Port port) implements AutoCloseable {
        static LocalGateway start(DefaultContext context) throws Exception {
            NetUtils.Port port = NetUtils.getAvailablePort();
            Configuration rest = new Configuration();
            rest.set(SqlGatewayRestOptions.ADDRESS, "localhost");
            // Only this machine: sql-client.sh's embedded gateway would listen on every interface.
            rest.set(SqlGatewayRestOptions.BIND_ADDRESS, "localhost");
            rest.set(SqlGatewayRestOptions.PORT, port.getPort());
            context.getFlinkConfig().addAll(rest, SqlGatewayEndpointFactoryUtils.getSqlGatewayOptionPrefix("rest"));
            SqlGateway gateway = new SqlGateway(context.getFlinkConfig(), new SingleSessionManager(context));
            try {
                gateway.start();
            } catch (Exception e) {
                port.close();
                throw e;
            }
            return new LocalGateway(gateway, port);
        }

        InetSocketAddress address() {
            return InetSocketAddress.createUnresolved("localhost", port.getPort());
        }

        @Override
        public void close() throws Exception {
            try {
                gateway.stop();
            } finally {
                port.close();
            }
        }
    }

    private static Path historyFile(CliOptions options) {
        return options.getHistoryFilePath() != null
                ? Path.of(options.getHistoryFilePath())
                : Path.of(System.getProperty("user.home"), ".flink-sql-history");
    }

    private static String read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.out.println(String.join(
                "\n",
                "usage: deploy/sql-client [--endpoints FILE] [--mysql.mapping FILE] [--catalog FILE] [-i FILE] [-f FILE]"
                        + " [other sql-client options]",
                "  --endpoints FILE  fill the catalog from the endpoints file of deploy/sandbox --endpoints-file",
                "                    (otherwise from PAYSTREAM_MYSQL_HOSTNAME, PAYSTREAM_MYSQL_PORT, ... as the jobs)",
                "  --mysql.mapping FILE  the shop's own tables (docs/mapping.md; or PAYSTREAM_MYSQL_MAPPING): the",
                "                    catalog's orders, order_items, payments and inventory become views over them",
                "                    (checked against the servers first, as the jobs check it at start)",
                "  --catalog FILE    the catalog init script (default sql/catalog.sql)",
                "  -i FILE           a further init script, run after the catalog",
                "  -f FILE           run a script (e.g. sql/explore/stuck-payments.sql) and end: status 1 if a",
                "                    statement failed (the client stops there); its INSERTs run to their end",
                "                    without -f the interactive client opens",
                "Everything else is passed to Flink's SQL client (sql-client.sh embedded --help)."));
    }
}
