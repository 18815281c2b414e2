package io.paystream.sandbox.mapping;

import io.paystream.sandbox.SandboxRefusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DDL script as {@code mysqldump --no-data} (or {@code mariadb-dump}) writes it, split into
 * statements for the sandbox's MariaDB: {@code DELIMITER} blocks (triggers), comment lines and the
 * version comments are understood, and the few MySQL 8 spellings MariaDB 10.11 refuses are
 * rewritten (below). It knows which databases it creates or uses, so that they can be granted.
 */
public final class SchemaScript {
    private static final Pattern CREATE_DATABASE = Pattern.compile(
            "(?is)^CREATE\\s+(?:DATABASE|SCHEMA)\\s+(?:/\\*!\\d+\\s*)?(?:IF\\s+NOT\\s+EXISTS\\s*)?(?:\\*/\\s*)?`?([^`\\s;/]+)`?");
    private static final Pattern USE = Pattern.compile("(?is)^USE\\s+`?([^`\\s;]+)`?");
    /** CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] name: group 1 the database, if qualified. */
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?is)^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
                    + "(?:`([^`]+)`|([A-Za-z0-9_$]+))?(\\.)?");
    /** How the client talks to the server: the sandbox's JDBC connection decides that, not the dump. */
    private static final Pattern CLIENT_CHARSET = Pattern.compile(
            "(?is)^(?:/\\*!\\d+\\s*)?SET\\s+(?:NAMES\\b|character_set_client\\s*=|character_set_results\\s*="
                    + "|collation_connection\\s*=)");
    /** MySQL 8 only executable comments ({@code /*!80016 DEFAULT ENCRYPTION='N' *}{@code /}): MariaDB would run them. */
    private static final Pattern MYSQL8_COMMENT = Pattern.compile("/\\*!80\\d{3}\\s[^*]*\\*/");
    /** MySQL 8's default collations, unknown to MariaDB 10.11. */
    private static final Pattern MYSQL8_COLLATION = Pattern.compile("(?i)\\butf8mb4_0900_(?:ai_ci|as_ci|as_cs)\\b");

    private static final Pattern MYSQL8_BIN = Pattern.compile("(?i)\\butf8mb4_0900_bin\\b");

    /** One statement and the line of the file it starts on. */
    public record Sql(int line, String text) {}

    public final Path file;
    public final List<Sql> statements;
    /** Databases the script creates, uses or qualifies a table with, in the script's order. */
    public final Set<String> databases;
    /** True when a table is created before the script selects a database: it needs a default one. */
    public final boolean needsDatabase;

    private SchemaScript(Path file, List<Sql> statements) {
        this.file = file;
        this.statements = statements;
        Set<String> dbs = new LinkedHashSet<>();
        boolean selected = false;
        boolean needs = false;
        for (Sql s : statements) {
            Matcher m;
            if ((m = CREATE_DATABASE.matcher(s.text)).find()) {
                dbs.add(m.group(1));
            } else if ((m = USE.matcher(s.text)).find()) {
                dbs.add(m.group(1));
                selected = true;
            } else if ((m = CREATE_TABLE.matcher(s.text)).find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                if (m.group(3) != null && name != null) {
                    dbs.add(name); // db.table
                } else if (!selected) {
                    needs = true;
                }
            }
        }
        this.databases = dbs;
        this.needsDatabase = needs;
    }

    public static SchemaScript read(Path file) throws IOException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    static SchemaScript parse(Path file, String text) {
        return new SchemaScript(file, split(text));
    }

    /**
     * Splits on the current delimiter at a line's end ({@code ;}, or what {@code DELIMITER} sets),
     * dropping {@code --} and {@code #} comment lines outside a statement, the MariaDB dump's
     * sandbox-mode line, and statements that set the client's character set.
     */
    static List<Sql> split(String script) {
        List<Sql> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String delimiter = ";";
        int start = 0;
        String[] lines = script.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String t = line.strip();
            if (current.length() == 0) {
                if (t.isEmpty() || t.startsWith("--") || t.startsWith("#") || t.startsWith("/*M!999999")) {
                    continue;
                }
                if (t.regionMatches(true, 0, "DELIMITER ", 0, 10)) {
                    delimiter = t.substring(10).strip();
                    continue;
                }
                start = i + 1;
            }
            current.append(line).append('\n');
            if (t.endsWith(delimiter)) {
                String sql = current.toString().strip();
                add(out, start, sql.substring(0, sql.length() - delimiter.length()));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            add(out, start, current.toString().strip());
        }
        return out;
    }

    private static void add(List<Sql> out, int line, String sql) {
        String s = mariaDb(sql).strip();
        if (!s.isEmpty() && !CLIENT_CHARSET.matcher(s).find()) {
            out.add(new Sql(line, s));
        }
    }

    /** The MySQL 8 spellings MariaDB 10.11 refuses, rewritten; everything else as written. */
    static String mariaDb(String sql) {
        String s = MYSQL8_COMMENT.matcher(sql).replaceAll("");
        s = MYSQL8_BIN.matcher(s).replaceAll("utf8mb4_bin");
        return MYSQL8_COLLATION.matcher(s).replaceAll("utf8mb4_unicode_ci");
    }

    /**
     * Runs the script on {@code c}; a script that selects no database runs in {@code database}
     * (created if missing). A statement that fails stops it, named by file and line.
     */
    public void run(Connection c, String database) {
        try (Statement s = c.createStatement()) {
            if (needsDatabase) {
                s.execute("CREATE DATABASE IF NOT EXISTS `" + database.replace("`", "") + "`");
                s.execute("USE `" + database.replace("`", "") + "`");
            }
            for (Sql sql : statements) {
                try {
                    s.execute(sql.text);
                } catch (SQLException e) {
                    throw new SandboxRefusal("--schema " + file + ":" + sql.line + ": " + e.getMessage()
                            + "\n  in the statement: " + abbreviate(sql.text));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("--schema " + file + ": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String sql) {
        String one = sql.replaceAll("\\s+", " ");
        return one.length() <= 200 ? one : one.substring(0, 200) + " ...";
    }

    /** The databases, for messages: {@code mall_oms, mall_pms}. */
    public String databaseList() {
        return databases.isEmpty() ? "none" : String.join(", ", databases);
    }
}
