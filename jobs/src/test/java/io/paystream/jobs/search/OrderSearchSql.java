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

/** sql/order-search.sql as the SQL client would run it after {@code envsubst}: its statements, placeholders filled. */
final class OrderSearchSql {
    static final Path SCRIPT = Path.of("../sql/order-search.sql");
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

    static List<String> statements(Map<String, String> values) {
        String text;
        try {
            text = Files.readString(SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(v));
        }
        m.appendTail(filled);
        List<String> out = new ArrayList<>();
        for (String s : filled.toString().split(";\\s*\n")) {
            if (!s.isBlank()) {
                out.add(s.strip().replaceAll(";$", ""));
            }
        }
        return out;
    }
}
