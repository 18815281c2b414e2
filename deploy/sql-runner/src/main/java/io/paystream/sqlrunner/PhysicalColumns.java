package io.paystream.sqlrunner;

import io.paystream.jobs.mapping.ServerMapping;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.jobs.mapping.TableMapping;
import io.paystream.state.cdc.ShopTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The types of the mapped columns, read from each server's information_schema (of a logical
 * table's first shard: the mapping check has made sure every shard has the columns). The catalog
 * needs them where the mapping alone does not tell: DATETIME or TIMESTAMP, integer or text codes,
 * a decimal's scale in the submit hash.
 */
final class PhysicalColumns implements MappedCatalog.ColumnTypes {
    private final Map<ShopTable, Map<String, MappedCatalog.ColumnType>> columns;

    private PhysicalColumns(Map<ShopTable, Map<String, MappedCatalog.ColumnType>> columns) {
        this.columns = columns;
    }

    @Override
    public MappedCatalog.ColumnType of(TableMapping table, String column) {
        return columns.getOrDefault(table.table, Map.of()).get(column);
    }

    /** Reads the columns of every logical table from its server. */
    static PhysicalColumns read(ShopMapping mapping) throws SQLException {
        Map<ShopTable, Map<String, MappedCatalog.ColumnType>> out = new HashMap<>();
        for (Map.Entry<ServerMapping, List<TableMapping>> e :
                mapping.serversOf(EnumSet.allOf(ShopTable.class)).entrySet()) {
            try (Connection c = connect(e.getKey())) {
                List<String[]> tables = new ArrayList<>();
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                                + " WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
                    while (rs.next()) {
                        tables.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
                for (TableMapping t : e.getValue()) {
                    String[] first = tables.stream()
                            .filter(n -> t.matches(n[0], n[1]))
                            .findFirst()
                            .orElseThrow(() -> new IllegalArgumentException(
                                    t.where + " (" + t.table.tableName() + "): no table matches " + t.describe()));
                    out.put(t.table, columnsOf(c, first[0], first[1]));
                }
            }
        }
        return new PhysicalColumns(out);
    }

    private static Map<String, MappedCatalog.ColumnType> columnsOf(Connection c, String db, String table)
            throws SQLException {
        Map<String, MappedCatalog.ColumnType> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new MappedCatalog.ColumnType(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** As the jobs' mapping check connects (the password never leaves the connection properties). */
    private static Connection connect(ServerMapping s) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", s.username);
        if (s.password() != null) {
            p.setProperty("password", s.password());
        }
        p.setProperty("useSSL", "false");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("connectTimeout", "10000");
        return DriverManager.getConnection("jdbc:mysql://" + s.hostname + ":" + s.port + "/", p);
    }
}
