package io.paystream.jobs.mapping;

import java.io.Serializable;
import java.time.ZoneId;

/**
 * One MySQL server that holds some of the logical tables (the payment center often has its own).
 * Each server is read by a CDC source of its own. The password is resolved when the mapping is
 * loaded (from the {@code mysql.password} setting, an environment variable or a file the mapping
 * names) and never printed.
 */
public final class ServerMapping implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The name tables refer to; part of the CDC source's uid, so fixed for a job's lifetime. */
    public final String name;

    public final String hostname;
    public final int port;
    public final String username;
    final String password;
    /** The server's session time zone: how its TIMESTAMP columns are turned into instants. */
    public final String sessionTimeZone;
    /** The database a table of this server is in when its mapping names none. */
    public final String database;
    /** The zone of DATETIME columns whose field names none; null means they must name one. */
    public final ZoneId datetimeZone;
    /** Where the password came from, for people ("setting mysql.password", "file /run/secrets/pc"). */
    public final String passwordSource;

    ServerMapping(
            String name,
            String hostname,
            int port,
            String username,
            String password,
            String passwordSource,
            String sessionTimeZone,
            String database,
            ZoneId datetimeZone) {
        this.name = name;
        this.hostname = hostname;
        this.port = port;
        this.username = username;
        this.password = password;
        this.passwordSource = passwordSource;
        this.sessionTimeZone = sessionTimeZone;
        this.database = database;
        this.datetimeZone = datetimeZone;
    }

    public String password() {
        return password;
    }

    /** {@code name (host:port)}: never the password. */
    @Override
    public String toString() {
        return name + " (" + hostname + ":" + port + ", user " + username + ")";
    }
}
