package io.paystream.sandbox.mapping;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.mapping.InvalidMappingException;
import io.paystream.jobs.mapping.MappingCheck;
import io.paystream.jobs.mapping.ServerMapping;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.jobs.mapping.TableMapping;
import io.paystream.sandbox.SandboxRefusal;
import io.paystream.servers.LocalServers;
import io.paystream.servers.MariaDbServer;
import io.paystream.state.cdc.ShopTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The sandbox on the user's own schema: {@code --schema} DDL files run on the local MariaDB(s),
 * the {@code --mapping} file pointed at them, checked (what is on and off, the tables read, every
 * problem) before any job starts, and given to every job as {@code mysql.mapping}.
 */
public final class MappedShop {
    private final Path mappingFile;
    private final MappingServers servers;
    private final List<SchemaScript> scripts;
    private final Path dir;
    /** The mapping as parsed before the servers start (stand-in ports): where each table lives. */
    private ShopMapping planned;

    private Path asRun;

    private MappedShop(Path mappingFile, MappingServers servers, List<SchemaScript> scripts, Path dir) {
        this.mappingFile = mappingFile;
        this.servers = servers;
        this.scripts = scripts;
        this.dir = dir;
    }

    /**
     * Reads the schema files and the mapping, and parses the mapping as it will run (with stand-in
     * ports): every problem the file itself has is refused before any server starts.
     */
    public static MappedShop prepare(
            Path mappingFile, List<Path> schemaFiles, Path workDir, Map<String, String> mysql) {
        List<SchemaScript> scripts = new ArrayList<>();
        for (Path f : schemaFiles) {
            try {
                scripts.add(SchemaScript.read(f));
            } catch (IOException e) {
                throw new SandboxRefusal("--schema " + f + ": cannot read it: " + e.getMessage());
            }
        }
        String text;
        try {
            text = Files.readString(mappingFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SandboxRefusal("--mapping " + mappingFile + ": cannot read it: " + e.getMessage());
        }
        MappingServers servers = MappingServers.parse(mappingFile.toString(), text);
        Path dir = workDir.resolve("mapping");
        MappedShop shop = new MappedShop(mappingFile, servers, scripts, dir);
        List<Integer> standIns = new ArrayList<>();
        for (int i = 0; i < servers.hosts().size(); i++) {
            standIns.add(3306 + i);
        }
        shop.planned = shop.parse(text, standIns, "stand-in", mysql);
        return shop;
    }

    /** Names of the local MariaDB servers to start beside the sandbox's own, one per further host. */
    public List<String> moreMariaDbs() {
        return servers.hosts().stream().skip(1).map(MappingServers.Host::name).toList();
    }

    /**
     * Runs each schema file on the local MariaDB of the mapped tables in the databases it creates
     * (on the sandbox's own when it holds none of them), and grants those databases.
     */
    public void createSchemas(LocalServers local, PrintStream out) {
        String defaultDatabase = defaultServer().database;
        for (SchemaScript script : scripts) {
            Set<String> databases = new LinkedHashSet<>(script.databases);
            if (script.needsDatabase) {
                databases.add(defaultDatabase);
            }
            Set<Integer> hosts = new TreeSet<>();
            for (ShopTable t : ShopTable.values()) {
                TableMapping tm = planned.table(t);
                if (tm == null) {
                    continue; // an optional table the mapping leaves out (refunds)
                }
                if (databases.stream().anyMatch(db -> inDatabase(tm, db))) {
                    hosts.add(servers.hostOf(tm.server));
                }
            }
            if (hosts.isEmpty()) {
                hosts.add(0);
            }
            for (int host : hosts) {
                MariaDbServer m = mariaDb(local, host);
                try (Connection c = m.rootConnection()) {
                    script.run(c, defaultDatabase);
                    m.grant(databases.toArray(new String[0]));
                } catch (SQLException e) {
                    throw new IllegalStateException("--schema " + script.file + ": " + e.getMessage(), e);
                }
                out.println(
                        "sandbox: schema " + script.file + ": " + script.statements.size() + " statements, databases "
                                + String.join(", ", databases)
                                + (script.needsDatabase
                                        ? " (selects none: " + defaultDatabase + ", the mapping's default database)"
                                        : "")
                                + " on " + describe(local, host));
            }
        }
    }

    /**
     * Points the mapping at the local servers, checks it against them and prints what is on and
     * off and the tables read; refuses with every problem when a job could not start on it.
     * Returns the mapping file every job gets.
     */
    public Path check(LocalServers local, Map<String, String> mysql, PrintStream out) {
        List<Integer> ports = new ArrayList<>();
        ports.add(local.mariaDb.port());
        for (String name : moreMariaDbs()) {
            ports.add(local.moreMariaDbs.get(name).port());
        }
        ShopMapping mapping = parse(null, ports, local.mariaDb.cdcPassword(), mysql);
        out.println("sandbox: mapping " + mappingFile
                + (asRun.equals(mappingFile.toAbsolutePath()) ? "" : " (run as " + asRun + ")"));
        for (MappingServers.Host h : servers.hosts()) {
            if (h.declared() != null) {
                out.println("  server" + (h.servers().size() == 1 ? " " : "s ") + String.join(", ", h.servers()) + ": "
                        + h.declared() + " in the mapping, here " + describe(local, h.index()));
            }
        }
        mapping.describeTables().forEach(l -> out.println("  " + l));
        out.println("features:");
        mapping.features().forEach(l -> out.println("  " + l));
        MappingCheck.Report report = MappingCheck.check(mapping, EnumSet.allOf(ShopTable.class));
        out.println("tables read:");
        report.reads.forEach(l -> out.println("  " + l));
        if (!report.ok()) {
            throw new SandboxRefusal("the mapping does not fit the schema: " + report.problems.size() + " problem"
                    + (report.problems.size() == 1 ? "" : "s") + " (no job started):\n  - "
                    + String.join("\n  - ", report.problems));
        }
        out.println("ok: every job can start on this mapping");
        return asRun;
    }

    /** What the endpoints file and the status show of the mapping. */
    public Map<String, String> endpoints(LocalServers local) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("mysql.mapping", mappingFile.toAbsolutePath().toString());
        out.put("mysql.mapping-as-run", asRun.toAbsolutePath().toString());
        for (MappingServers.Host h : servers.hosts()) {
            MariaDbServer m = mariaDb(local, h.index());
            for (String server : h.servers()) {
                out.put("mysql.server." + server + ".hostname", m.host());
                out.put("mysql.server." + server + ".port", String.valueOf(m.port()));
            }
        }
        return out;
    }

    public Path mappingFile() {
        return mappingFile;
    }

    private ShopMapping parse(String text, List<Integer> ports, String password, Map<String, String> mysql) {
        try {
            Files.createDirectories(dir);
            Path secret = dir.resolve("cdc.password");
            Files.writeString(secret, password);
            String original = text != null ? text : Files.readString(mappingFile, StandardCharsets.UTF_8);
            MappingServers.Rewritten r = servers.rewrite(ports, MariaDbServer.CDC_USER, secret.toString());
            boolean same = r.text().equals(original);
            asRun = same ? mappingFile.toAbsolutePath() : dir.resolve(mappingFile.getFileName());
            if (!same) {
                Files.writeString(asRun, r.text());
            }
            Map<String, String> settings = new LinkedHashMap<>(mysql);
            settings.put(PaystreamOptions.MYSQL_PORT.key(), String.valueOf(ports.get(0)));
            settings.put(PaystreamOptions.MYSQL_PASSWORD.key(), password);
            settings.put(PaystreamOptions.MYSQL_MAPPING.key(), asRun.toString());
            List<String> argv = new ArrayList<>();
            settings.forEach((k, v) -> {
                argv.add("--" + k);
                argv.add(v);
            });
            Settings s = Settings.load(
                    argv.toArray(new String[0]), Map.of(), PaystreamOptions.declaredIn(PaystreamOptions.class));
            // Problems name the user's file and line while the edits kept every line in place.
            String name = r.linesAdded() == 0 ? mappingFile.toString() : asRun.toString();
            return ShopMapping.parse(name, r.text(), s, System.getenv());
        } catch (InvalidMappingException e) {
            throw new SandboxRefusal("--mapping " + mappingFile + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServerMapping defaultServer() {
        ServerMapping s = planned.server(ShopMapping.DEFAULT_SERVER);
        return s != null ? s : planned.servers().get(0);
    }

    private static boolean inDatabase(TableMapping t, String db) {
        return t.databaseIsPattern ? Pattern.matches(t.database, db) : t.database.equals(db);
    }

    private MariaDbServer mariaDb(LocalServers local, int host) {
        return host == 0
                ? local.mariaDb
                : local.moreMariaDbs.get(servers.hosts().get(host).name());
    }

    private String describe(LocalServers local, int host) {
        MariaDbServer m = mariaDb(local, host);
        return (host == 0
                        ? "the sandbox's MariaDB"
                        : "MariaDB " + servers.hosts().get(host).name()) + " (" + m.host() + ":" + m.port() + ")";
    }
}
