package io.paystream.sqlrunner;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The result tables the SQL client prints in tableau mode, read back from its output. */
final class Tableau {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    /** A table border; without a terminal the client prints the first one right after the statement's echo. */
    private static final Pattern BORDER = Pattern.compile("\\+(?:-+\\+)+$");

    /** One printed table: its column names and its rows, cells trimmed ({@code <NULL>} as printed). */
    record Table(List<String> columns, List<List<String>> rows) {
        List<String> column(String name) {
            int i = columns.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + name + " in " + columns);
            }
            return rows.stream().map(r -> r.get(i)).toList();
        }
    }

    private Tableau() {}

    /** Every table in the output, in order; "Empty set" counts as a table without columns or rows. */
    static List<Table> tables(String output) {
        List<Table> tables = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String raw : ANSI.matcher(output).replaceAll("").split("\r?\n")) {
            String line = raw;
            while (line.startsWith("Flink SQL> ")) {
                line = line.substring("Flink SQL> ".length());
            }
            lines.add(line.strip());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.equals("Empty set")) {
                tables.add(new Table(List.of(), List.of()));
            } else if (BORDER.matcher(line).find()
                    && i + 2 < lines.size()
                    && lines.get(i + 1).startsWith("|")) {
                List<String> columns = cells(lines.get(i + 1));
                List<List<String>> rows = new ArrayList<>();
                int j = i + 3; // border, header, border
                while (j < lines.size() && lines.get(j).startsWith("|")) {
                    rows.add(cells(lines.get(j)));
                    j++;
                }
                tables.add(new Table(columns, rows));
                i = j;
            }
        }
        return tables;
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.lastIndexOf('|'));
        List<String> cells = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            cells.add(c.strip());
        }
        return cells;
    }
}
