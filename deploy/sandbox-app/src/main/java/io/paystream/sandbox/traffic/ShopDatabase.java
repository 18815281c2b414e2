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

    /** Drops this thread's connection after an error: the server may have restarted under it. */
    void discard() {
        Connection c = perThread.get();
        perThread.remove();
        if (c != null) {
            all.remove(c);
            try {
                c.close();
            } catch (SQLException ignored) {
                // a broken connection: nothing to close cleanly
            }
        }
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
