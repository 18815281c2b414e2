package io.paystream.jobs.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.TableEnvironment;

/**
 * sql/order-search.sql as the SQL client runs it: sql/catalog.sql first (its placeholders filled,
 * as {@code envsubst} or deploy/sql-client fill them), then the script's own statements.
 */
final class OrderSearchSql {
    static final Path CATALOG = Path.of("../sql/catalog.sql");
    static final Path SCRIPT = Path.of("../sql/order-search.sql");
    /** The index the script writes (its INSERT's OPTIONS hint): not the job's. */
    static final String INDEX = "orders-sql";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
    private static final Pattern SET = Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

    private OrderSearchSql() {}

    /** Runs one statement as the SQL client would: SET into the session's configuration, the rest as SQL. */
    static void execute(TableEnvironment tEnv, String statement) {
        Matcher set = SET.matcher(statement);
        if (set.matches()) {
            tEnv.getConfig().getConfiguration().setString(set.group(1), set.group(2));
        } else {
            tEnv.executeSql(statement);
        }
    }

    /** The catalog's statements with the placeholders filled from {@code values}, then the script's. */
    static List<String> statements(Map<String, String> values) {
        List<String> out = new ArrayList<>(statementsOf(fill(read(CATALOG), values)));
        String script = read(SCRIPT);
        if (PLACEHOLDER.matcher(withoutComments(script)).find()) {
            throw new IllegalStateException(SCRIPT + " has placeholders of its own: the catalog's are all it may use");
        }
        out.addAll(statementsOf(script));
        return out;
    }

    private static String fill(String script, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(withoutComments(script));
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(v));
        }
        m.appendTail(filled);
        return filled.toString();
    }

    private static List<String> statementsOf(String script) {
        List<String> out = new ArrayList<>();
        for (String s : withoutComments(script).split(";\\s*\n")) {
            if (!s.isBlank()) {
                out.add(s.strip().replaceAll(";$", ""));
            }
        }
        return out;
    }

    private static String withoutComments(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        return sql.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
