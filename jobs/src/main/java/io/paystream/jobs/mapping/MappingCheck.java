package io.paystream.jobs.mapping;

import io.paystream.state.cdc.ShopTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Checks a table mapping against the live servers before anything starts: the binlog settings CDC
 * needs, every mapped table (or at least one shard of a pattern), every mapped column in every
 * shard, and whether the column's type can carry the field. Each problem names its mapping line.
 */
public final class MappingCheck {
    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
    private static final Set<String> TEXTS =
            Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum");

    /** What the check found: problems (empty when the mapping can be used) and what each table reads. */
    public static final class Report {
        public final List<String> problems = new ArrayList<>();
        public final List<String> reads = new ArrayList<>();

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private MappingCheck() {}

    /** Checks the tables of {@code mapping} in {@code wanted} on their servers. */
    public static Report check(ShopMapping mapping, Set<ShopTable> wanted) {
        Report report = new Report();
        mapping.serversOf(wanted).forEach((server, tables) -> {
            try (Connection c = connect(server)) {
                checkBinlog(c, server, report);
                Map<String, List<String>> physical = tablesOf(c);
                for (TableMapping t : tables) {
                    checkTable(c, t, physical, report);
                }
            } catch (SQLException e) {
                report.problems.add(
                        "server " + server + ": cannot connect or read information_schema: " + e.getMessage());
            }
        });
        return report;
    }

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

    private static void checkBinlog(Connection c, ServerMapping server, Report report) throws SQLException {
        Map<String, String> vars = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN "
                        + "('log_bin', 'binlog_format', 'binlog_row_image')")) {
            while (rs.next()) {
                vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        expect(vars, "log_bin", "ON", server, report);
        expect(vars, "binlog_format", "ROW", server, report);
        expect(vars, "binlog_row_image", "FULL", server, report);
    }

    private static void expect(Map<String, String> vars, String name, String want, ServerMapping s, Report report) {
        String got = vars.get(name);
        if (got == null || !got.equalsIgnoreCase(want)) {
            report.problems.add(
                    "server " + s + ": " + name + " is " + got + ", CDC needs " + want + " (see deploy/mysql/my.cnf)");
        }
    }

    /** Every base table, by database. */
    private static Map<String, List<String>> tablesOf(Connection c) throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
                        + "WHERE TABLE_TYPE = 'BASE TABLE'")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return out;
    }

    private static void checkTable(Connection c, TableMapping t, Map<String, List<String>> physical, Report report)
            throws SQLException {
        List<String> matched = new ArrayList<>();
        physical.forEach(
                (db, names) -> names.stream().filter(n -> t.matches(db, n)).forEach(n -> matched.add(db + "." + n)));
        matched.sort(null);
        if (matched.isEmpty()) {
            report.problems.add(t.where + " (" + t.table.tableName() + "): no table matches " + t.describe());
            return;
        }
        report.reads.add(t.table.tableName() + ": " + t.describe() + " -> "
                + (matched.size() <= 4
                        ? String.join(", ", matched)
                        : matched.size() + " shards, " + matched.get(0) + " ... " + matched.get(matched.size() - 1)));
        for (String qualified : matched) {
            int dot = qualified.indexOf('.');
            Map<String, String[]> columns = columnsOf(c, qualified.substring(0, dot), qualified.substring(dot + 1));
            for (ShopField f : ShopField.of(t.table)) {
                FieldSource s = t.field(f);
                if (s == null) {
                    continue;
                }
                for (String column : s.columns()) {
                    String[] type = columns.get(column);
                    if (type == null) {
                        report.problems.add(s.where + " (" + t.table.tableName() + "." + f.key + "): column "
                                + qualified + "." + column + " does not exist");
                    } else {
                        String problem = typeProblem(s, type[0], type[1]);
                        if (problem != null) {
                            report.problems.add(s.where + " (" + t.table.tableName() + "." + f.key + "): " + qualified
                                    + "." + column + " is " + type[1] + ": " + problem);
                        }
                    }
                }
            }
        }
    }

    /** Column name to {data type, column type}. */
    private static Map<String, String[]> columnsOf(Connection c, String db, String table) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new String[] {rs.getString(2).toLowerCase(Locale.ROOT), rs.getString(3)});
                }
            }
        }
        return out;
    }

    /** Why a column of this type cannot carry the field, or null when it can. */
    static String typeProblem(FieldSource s, String dataType, String columnType) {
        if (!s.computeFrom.isEmpty()) {
            return null; // any column's value can be hashed
        }
        boolean integer = INTEGERS.contains(dataType);
        boolean text = TEXTS.contains(dataType);
        switch (s.field.kind) {
            case KEY:
                return integer || text ? null : "an id needs an integer or text column";
            case INTEGER:
                return integer ? null : "needs an integer column";
            case TEXT:
                return text || integer ? null : "needs a text column";
            case ENUM:
                if (integer && s.values.isEmpty()) {
                    return "integer codes need a value map (values: {0: ..., 1: ...})";
                }
                return integer || text ? null : "needs a text or integer column";
            case MONEY:
                if (dataType.equals("float") || dataType.equals("double") || dataType.equals("real")) {
                    return "a floating-point column cannot carry money exactly";
                }
                if (s.unit == FieldSource.Unit.FEN) {
                    return integer || dataType.equals("decimal") && columnType.matches("(?i)decimal\\(\\d+,0\\).*")
                            ? null
                            : "unit fen needs an integer column";
                }
                return dataType.equals("decimal") || dataType.equals("numeric")
                        ? null
                        : integer ? "an integer column holds fen: say unit: fen" : "yuan need a DECIMAL column";
            case TIME:
                return timeProblem(s, dataType, integer);
            default:
                return null;
        }
    }

    private static String timeProblem(FieldSource s, String dataType, boolean integer) {
        boolean epoch = s.unit == FieldSource.Unit.EPOCH_SECONDS || s.unit == FieldSource.Unit.EPOCH_MILLIS;
        if (integer) {
            return epoch ? null : "an integer time needs unit: epoch-seconds or epoch-millis";
        }
        if (epoch) {
            return "unit " + s.unit + " is for integer columns";
        }
        if (dataType.equals("timestamp")) {
            return null;
        }
        if (dataType.equals("datetime")) {
            return s.zone != null
                    ? null
                    : "DATETIME holds local wall-clock time: say its zone (zone: Asia/Shanghai, or the server's "
                            + "datetime-zone), or every deadline may move by hours";
        }
        return "needs a TIMESTAMP, DATETIME or integer epoch column";
    }
}
