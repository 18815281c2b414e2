package io.paystream.jobs.testing;

import io.paystream.servers.MariaDbServer;
import io.paystream.servers.SharedServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A database of its own with the shop schema, on the shared MariaDB, written as the shop application. */
public final class ShopDb {
    private final MariaDbServer server;
    private final String database;

    private ShopDb(MariaDbServer server, String database) {
        this.server = server;
        this.database = database;
    }

    public static ShopDb create(String database) throws SQLException {
        MariaDbServer server = SharedServers.mariaDb();
        server.createShopDatabase(database);
        return new ShopDb(server, database);
    }

    public String database() {
        return database;
    }

    public MariaDbServer server() {
        return server;
    }

    /** Runs statements in one transaction. */
    public void exec(String... sql) throws SQLException {
        try (Connection c =
                DriverManager.getConnection(server.jdbcUrl(database), MariaDbServer.SHOP_USER, server.shopPassword())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
            c.commit();
        }
    }

    /** Settings args pointing a job at this database and the shared servers. */
    public String[] settingsArgs(String... more) {
        String[] base = {
            "--mysql.hostname", server.host(),
            "--mysql.port", String.valueOf(server.port()),
            "--mysql.database", database,
            "--mysql.username", MariaDbServer.CDC_USER,
            "--mysql.password", server.cdcPassword(),
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
