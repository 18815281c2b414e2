package io.paystream.jobs.mapping;

import io.paystream.servers.LocalServers;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The "mall" test schema on real MariaDB: the order system's two databases on the shared server,
 * and a payment center with sharded pay orders on a second server of its own; the mapping file
 * (src/test/resources/mapping/mall.yaml) with that server's address and password file filled in.
 */
final class MallSchema implements AutoCloseable {
    final MariaDbServer shop = SharedServers.mariaDb();
    final MariaDbServer paycenter;
    final Path mappingFile;
    /** The order system's two databases on the shared server: mall_oms and mall_pms, plus the suffix. */
    final String oms;

    final String pms;
    private final String suffix;
    private final Path dir;

    MallSchema() throws Exception {
        this("");
    }

    /**
     * With {@code suffix} appended to the order system's database names, so that two test classes
     * in one JVM (one shared MariaDB) each have their own; the payment center is a server of its own.
     */
    MallSchema(String suffix) throws Exception {
        this.suffix = suffix;
        this.oms = "mall_oms" + suffix;
        this.pms = "mall_pms" + suffix;
        dir = ScratchDirectories.create("mall-schema");
        shop.runScript(databases(resource("mall-shop.sql")), oms, pms);
        paycenter = MariaDbServer.start(
                dir.resolve("paycenter"), 0, LocalServers.randomSecret(), LocalServers.randomSecret());
        paycenter.runScript(resource("mall-paycenter.sql"), "pay_0", "pay_1");
        Path password = dir.resolve("paycenter.password");
        Files.writeString(password, paycenter.cdcPassword());
        mappingFile = dir.resolve("mall.yaml");
        Files.writeString(mappingFile, mapping(resource("mall.yaml")));
    }

    private String databases(String text) {
        return suffix.isEmpty() ? text : text.replace("mall_oms", oms).replace("mall_pms", pms);
    }

    String mapping(String yaml) {
        return databases(yaml)
                .replace("${PAYCENTER_HOST}", paycenter.host())
                .replace("${PAYCENTER_PORT}", String.valueOf(paycenter.port()))
                .replace(
                        "${PAYCENTER_PASSWORD_FILE}",
                        dir.resolve("paycenter.password").toString());
    }

    /** Writes a variant of the mapping and returns its path. */
    Path variant(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, mapping(yaml));
        return p;
    }

    /** Settings arguments: the shared server as the default, the mapping file. */
    String[] settingsArgs(String... more) {
        String[] base = {
            "--mysql.hostname", shop.host(),
            "--mysql.port", String.valueOf(shop.port()),
            "--mysql.username", MariaDbServer.CDC_USER,
            "--mysql.password", shop.cdcPassword(),
            "--mysql.mapping", mappingFile.toString(),
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    void execShop(String... sql) throws SQLException {
        exec(shop, sql);
    }

    void execPaycenter(String... sql) throws SQLException {
        exec(paycenter, sql);
    }

    private static void exec(MariaDbServer server, String... sql) throws SQLException {
        try (Connection c = server.rootConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
            c.commit();
        }
    }

    static String resource(String name) throws IOException {
        try (InputStream in = MallSchema.class.getResourceAsStream("/mapping/" + name)) {
            if (in == null) {
                throw new IOException("no test resource /mapping/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        paycenter.close();
    }
}
