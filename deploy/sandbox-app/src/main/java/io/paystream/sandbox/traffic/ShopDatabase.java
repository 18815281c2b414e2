package io.paystream.sandbox.traffic;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The shop application's connections to MySQL: one per simulator thread. */
final class ShopDatabase implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final List<Connection> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Connection> perThread = new ThreadLocal<>();

    ShopDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    Connection connection() throws SQLException {
        Connection c = perThread.get();
        if (c == null || c.isClosed()) {
            c = DriverManager.getConnection(url, user, password);
            perThread.set(c);
            all.add(c);
        }
        return c;
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing at shutdown
            }
        }
    }
}
