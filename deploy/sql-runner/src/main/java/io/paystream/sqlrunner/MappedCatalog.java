package io.paystream.sqlrunner;

import io.paystream.jobs.mapping.FieldSource;
import io.paystream.jobs.mapping.ServerMapping;
import io.paystream.jobs.mapping.ShopField;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.jobs.mapping.TableMapping;
import io.paystream.state.cdc.ShopTable;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shop-table part of the SQL catalog generated from a table mapping (docs/mapping.md): per
 * logical table a {@code mysql-cdc} table {@code <table>_cdc} over the physical columns the mapping
 * reads (patterns for shards and databases, on the table's own server), and a view with the logical
 * table's contract name and columns (those of sql/catalog.sql, same types) that converts as the
 * jobs' row reader does: value maps, fen, DATETIME in a zone, epoch times, text order numbers,
 * defaults, per-SKU overrides, the computed submit hash. The explore scripts and
 * sql/order-search.sql then run unchanged on the shop's own tables; the statements Flink refuses
 * on a view ({@code ALTER TABLE <view> SET}, an {@code OPTIONS} hint on a view) are redirected to
 * the view's CDC table by {@link #rewrite(String)}.
 *
 * <p>What the jobs refuse (a dead letter), the views show as NULL: a status code the value map does
 * not cover, an order number that is no number.
 */
final class MappedCatalog {
    /** The server ids of today's catalog, per logical table (4 each, docs in sql/catalog.sql). */
    private static final Map<ShopTable, String> SERVER_IDS = Map.of(
            ShopTable.ORDERS, "5430-5433",
            ShopTable.ORDER_ITEMS, "5434-5437",
            ShopTable.PAYMENTS, "5438-5441",
            ShopTable.INVENTORY, "5442-5445");

    private static final Set<String> INTEGERS =
            Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year");

    /** The jobs' submit hash joins the columns' text with this (U+001F, the unit separator). */
    static final int HASH_SEPARATOR = 0x1f;

    /** The physical type of a mapped column, as information_schema.COLUMNS names it. */
    record ColumnType(String dataType, String columnType) {
        ColumnType {
            dataType = dataType.toLowerCase(Locale.ROOT);
        }

        boolean isInteger() {
            return INTEGERS.contains(dataType);
        }
    }

    /** The physical columns of a logical table (of its first shard, when it has several). */
    interface ColumnTypes {
        /** The column's type, or null when the table has no such column. */
        ColumnType of(TableMapping table, String column);
    }

    /** Where a view's query names its source (the CDC table, or the CDC table with a hint). */
    private static final String SOURCE = "\u0000source\u0000";

    private final ShopMapping mapping;
    private final ColumnTypes types;
    private final Map<ShopTable, String> viewQueries = new EnumMap<>(ShopTable.class);

    /**
     * The logical tables the SQL catalog has: the four of sql/catalog.sql. Refunds are not in the
     * catalog yet (no server ids are set aside for them), mapped or not.
     */
    static final List<ShopTable> TABLES =
            List.of(ShopTable.ORDERS, ShopTable.ORDER_ITEMS, ShopTable.PAYMENTS, ShopTable.INVENTORY);

    MappedCatalog(ShopMapping mapping, ColumnTypes types) {
        this.mapping = mapping;
        this.types = types;
        for (ShopTable t : TABLES) {
            viewQueries.put(t, viewQuery(t, SOURCE));
        }
    }

    /** The CDC table behind a logical table's view. */
    static String cdcTable(ShopTable t) {
        return t.tableName() + "_cdc";
    }

    /** The placeholder of a server's password in the generated DDL (filled in memory only). */
    static String passwordPlaceholder(ServerMapping s) {
        return "PAYSTREAM_MAPPING_PASSWORD_" + s.name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The values of {@link #passwordPlaceholder}s: each server's password as the mapping resolved it. */
    Map<String, String> passwords() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ServerMapping s : mapping.servers()) {
            if (s.password() != null) {
                out.put(passwordPlaceholder(s), s.password());
            }
        }
        return out;
    }

    /** The statements: per logical table its CDC table and its view, passwords as placeholders. */
    String ddl() {
        StringBuilder b = new StringBuilder();
        b.append("-- The shop tables from the table mapping ")
                .append(mapping.origin)
                .append(" (docs/mapping.md): per logical table a CDC table\n")
                .append("-- <table>_cdc over the mapped columns and a view with the contract's name and columns.\n\n");
        for (ShopTable t : TABLES) {
            b.append(cdcTableDdl(t)).append("\n\n");
            b.append("CREATE VIEW ")
                    .append(t.tableName())
                    .append(" AS\n")
                    .append(viewQueries.get(t).replace(SOURCE, cdcTable(t)))
                    .append(";\n\n");
        }
        return b.toString();
    }

    // --- the CDC tables ---------------------------------------------------------------------------

    private String cdcTableDdl(ShopTable t) {
        TableMapping tm = mapping.table(t);
        ServerMapping server = mapping.server(tm.server);
        Map<String, String> columns = physicalColumns(tm);
        String key = keyColumn(tm);
        StringBuilder b = new StringBuilder("CREATE TABLE ").append(cdcTable(t)).append(" (\n");
        columns.forEach((c, type) ->
                b.append("  ").append(ident(c)).append(' ').append(type).append(",\n"));
        b.append("  op_ts TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL");
        if (key != null) {
            b.append(",\n  PRIMARY KEY (").append(ident(key)).append(") NOT ENFORCED");
        }
        b.append("\n) WITH (\n");
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "mysql-cdc");
        options.put("hostname", server.hostname);
        options.put("port", String.valueOf(server.port));
        options.put("username", server.username);
        options.put("password", "${" + passwordPlaceholder(server) + "}");
        options.put("database-name", tm.databaseRegex());
        options.put("table-name", tm.tableName);
        options.put("server-id", SERVER_IDS.get(t));
        options.put("server-time-zone", server.sessionTimeZone);
        options.put("scan.startup.mode", "initial");
        // As the jobs' CDC source: TINYINT(1) codes as numbers in the snapshot too, exact decimals.
        options.put("jdbc.properties.tinyInt1isBit", "false");
        options.put("debezium.decimal.handling.mode", "precise");
        options.put("debezium.bigint.unsigned.handling.mode", "long");
        List<String> lines = new ArrayList<>();
        options.forEach((k, v) -> lines.add("  '" + k + "' = '" + (k.equals("password") ? v : literalBody(v)) + "'"));
        b.append(String.join(",\n", lines)).append("\n);");
        return b.toString();
    }

    /** The column of the logical table's key, declared as the CDC table's primary key. */
    private static String keyColumn(TableMapping tm) {
        ShopField key = switch (tm.table) {
            case ORDERS -> ShopField.ORDER_ID;
            case ORDER_ITEMS -> ShopField.ITEM_ID;
            case PAYMENTS -> ShopField.PAYMENT_ID;
            case INVENTORY -> ShopField.SKU_ID;
            case REFUNDS -> ShopField.REFUND_ID;
        };
        FieldSource s = tm.field(key);
        return s == null ? null : s.column;
    }

    /**
     * Every physical column the mapping reads, with its Flink type: TIMESTAMP(3) for DATETIME and
     * TIMESTAMP columns of time fields (the wall clock; the view converts its zone), STRING for all
     * others (the connector gives the binlog value's text, as the jobs see it; the view converts).
     */
    private Map<String, String> physicalColumns(TableMapping tm) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ShopField f : ShopField.of(tm.table)) {
            FieldSource s = tm.field(f);
            if (s == null) {
                continue;
            }
            for (String c : s.columns()) {
                String type = isWallClock(tm, s, c) ? "TIMESTAMP(3)" : "STRING";
                String before = out.putIfAbsent(c, type);
                if (before != null && !before.equals(type)) {
                    throw new IllegalArgumentException(tm.table.tableName() + ": column " + c
                            + " is read both as a time and as text; the SQL catalog cannot declare it twice");
                }
            }
        }
        return out;
    }

    private boolean isWallClock(TableMapping tm, FieldSource s, String column) {
        return s.field.kind == ShopField.Kind.TIME
                && s.computeFrom.isEmpty()
                && s.unit == FieldSource.Unit.DATE_TIME
                && !type(tm, column).isInteger();
    }

    private ColumnType type(TableMapping tm, String column) {
        ColumnType t = types.of(tm, column);
        if (t == null) {
            throw new IllegalArgumentException(
                    "column " + column + " of " + tm.describe() + " (" + tm.table.tableName() + ") does not exist");
        }
        return t;
    }

    // --- the views --------------------------------------------------------------------------------

    /** The view's query over {@code source} ({@link #SOURCE} for the CDC table, or an OPTIONS-hinted one). */
    private String viewQuery(ShopTable t, String source) {
        TableMapping tm = mapping.table(t);
        List<String> select = new ArrayList<>();
        for (ShopField f : ShopField.of(t)) {
            if (ShopMapping.contractColumn(f) == null) {
                // An order number is no column of the contract's tables. Items or payments that
                // name their order by number get a NULL order_id here: the jobs resolve numbers
                // to ids (OrderReferences), the SQL catalog does not yet.
                continue;
            }
            select.add(
                    "  CAST(" + expression(tm, f) + " AS " + contractType(f) + ") AS " + ShopMapping.contractColumn(f));
        }
        select.add("  op_ts");
        return "SELECT\n" + String.join(",\n", select) + "\nFROM " + source;
    }

    /** The column type of sql/catalog.sql for a field. */
    static String contractType(ShopField f) {
        return switch (f.kind) {
            case KEY -> "BIGINT";
            case INTEGER -> "INT";
            case MONEY -> "DECIMAL(12, 2)";
            case TIME -> "TIMESTAMP(3)";
            case TEXT, ENUM -> "STRING";
        };
    }

    /** The field's value, as the jobs' row reader takes it (RowReader, BoundField). */
    private String expression(TableMapping tm, ShopField f) {
        FieldSource s = tm.field(f);
        if (s == null) {
            // The jobs: an order without updated-at counts from its creation; others are absent.
            return f == ShopField.ORDER_UPDATED_AT
                    ? expression(tm, ShopField.ORDER_CREATED_AT)
                    : "CAST(NULL AS " + contractType(f) + ")";
        }
        String base;
        if (!s.computeFrom.isEmpty()) {
            base = sha256(tm, s.computeFrom);
        } else if (s.column != null) {
            String converted = converted(tm, s);
            // A default stands for a NULL column (never for a value the mapping does not cover).
            base = s.defaultValue == null || f.kind == ShopField.Kind.TIME
                    ? converted
                    : "CASE WHEN " + ident(s.column) + " IS NULL THEN " + constant(f, s.defaultValue) + " ELSE "
                            + converted + " END";
        } else if (s.defaultValue != null) {
            base = constant(f, s.defaultValue);
        } else {
            base = "CAST(NULL AS " + contractType(f) + ")";
        }
        if (s.perSku.isEmpty()) {
            return base;
        }
        String sku = expression(tm, ShopField.SKU_ID);
        StringBuilder b = new StringBuilder("CASE ").append(sku);
        new TreeMap<>(s.perSku)
                .forEach((id, v) ->
                        b.append(" WHEN ").append(id).append(" THEN ").append(constant(f, v)));
        return b.append(" ELSE ").append(base).append(" END").toString();
    }

    /** A column's value converted to the field's contract type. */
    private String converted(TableMapping tm, FieldSource s) {
        String c = ident(s.column);
        ColumnType type = type(tm, s.column);
        switch (s.field.kind) {
            case KEY:
                // An integer id, or text of 1 to 18 decimal digits (an order number); else NULL.
                return type.isInteger()
                        ? "TRY_CAST(" + c + " AS BIGINT)"
                        : "CASE WHEN REGEXP(" + c + ", '^[0-9]{1,18}$') THEN CAST(" + c + " AS BIGINT) END";
            case INTEGER:
                return "TRY_CAST(" + c + " AS INT)";
            case TEXT:
                return c;
            case MONEY:
                return s.unit == FieldSource.Unit.FEN
                        // whole fen to yuan, exactly
                        ? "CAST(TRY_CAST(" + c + " AS BIGINT) AS DECIMAL(12, 2)) / 100"
                        : "TRY_CAST(" + c + " AS DECIMAL(12, 2))";
            case TIME:
                return time(tm, s, c, type);
            case ENUM:
                return enumValue(s, c, type);
            default:
                throw new IllegalStateException(s.field.kind.name());
        }
    }

    private String time(TableMapping tm, FieldSource s, String c, ColumnType type) {
        if (s.unit == FieldSource.Unit.EPOCH_SECONDS || s.unit == FieldSource.Unit.EPOCH_MILLIS) {
            // an instant; as TIMESTAMP in the catalog's session zone (UTC)
            return "TO_TIMESTAMP_LTZ(TRY_CAST(" + c + " AS BIGINT), "
                    + (s.unit == FieldSource.Unit.EPOCH_SECONDS ? 0 : 3) + ")";
        }
        // The connector gives a DATETIME's wall clock as it is, and a TIMESTAMP's instant as the wall
        // clock of the server's session zone ('server-time-zone'): both are turned into UTC.
        ZoneId zone =
                type.dataType().equals("timestamp") ? ZoneId.of(mapping.server(tm.server).sessionTimeZone) : s.zone;
        if (zone == null || zone.normalized().equals(ZoneOffset.UTC)) {
            return c;
        }
        // CONVERT_TZ takes java.util.TimeZone ids: an offset is GMT+08:00 there (+08:00 would read as GMT).
        return inUtc(c, zone instanceof ZoneOffset ? "GMT" + zone.getId() : zone.getId());
    }

    /**
     * A wall-clock TIMESTAMP of {@code zone} as the wall clock of UTC, to the millisecond: the
     * zone's offset at that time, in whole seconds, from CONVERT_TZ on the whole seconds, taken off
     * the value. (In a daylight-saving overlap CONVERT_TZ takes the later offset, the jobs the earlier.)
     */
    static String inUtc(String wallClock, String zone) {
        String seconds = "DATE_FORMAT(" + wallClock + ", 'yyyy-MM-dd HH:mm:ss')";
        return "TIMESTAMPADD(SECOND, TIMESTAMPDIFF(SECOND, TO_TIMESTAMP(" + seconds + "), TO_TIMESTAMP(CONVERT_TZ("
                + seconds + ", '" + literalBody(zone) + "', 'UTC'))), " + wallClock + ")";
    }

    private static String enumValue(FieldSource s, String c, ColumnType type) {
        if (s.values.isEmpty()) {
            // the column holds paystream's own names
            List<String> names = new ArrayList<>();
            for (Object e : s.field.values.getEnumConstants()) {
                names.add(literal(((Enum<?>) e).name()));
            }
            return "CASE WHEN " + c + " IN (" + String.join(", ", names) + ") THEN " + c + " END";
        }
        // Integer columns match the codes as numbers, text columns as the text (as the jobs do).
        Map<String, List<String>> byTarget = new LinkedHashMap<>();
        new TreeMap<>(s.values).forEach((from, to) -> {
            String code = from;
            if (type.isInteger()) {
                try {
                    code = String.valueOf(Long.parseLong(from.strip()));
                } catch (NumberFormatException e) {
                    return; // never matches an integer column
                }
            } else {
                code = literal(from);
            }
            byTarget.computeIfAbsent(to, k -> new ArrayList<>()).add(code);
        });
        String value = type.isInteger() ? "TRY_CAST(" + c + " AS BIGINT)" : c;
        StringBuilder b = new StringBuilder("CASE");
        byTarget.forEach((to, codes) -> b.append(" WHEN ")
                .append(value)
                .append(" IN (")
                .append(String.join(", ", codes))
                .append(") THEN ")
                .append(literal(to)));
        return b.append(" END").toString();
    }

    /**
     * The jobs' computed submit hash: SHA-256 (hex) of the columns' text joined by U+001F, a NULL
     * column as empty text; NULL when every column is NULL. Decimals as their plain text with the
     * column's own scale, as the jobs write them.
     */
    private String sha256(TableMapping tm, List<String> columns) {
        List<String> texts = new ArrayList<>();
        List<String> nulls = new ArrayList<>();
        for (String column : columns) {
            String c = ident(column);
            ColumnType type = type(tm, column);
            Matcher decimal = Pattern.compile("(?i)decimal\\((\\d+),(\\d+)\\).*")
                    .matcher(type.columnType().replace(" ", ""));
            String text = c;
            if (decimal.matches() && Integer.parseInt(decimal.group(1)) <= 38) {
                text = "CAST(CAST(" + c + " AS DECIMAL(" + decimal.group(1) + ", " + decimal.group(2) + ")) AS STRING)";
            }
            texts.add("COALESCE(" + text + ", '')");
            nulls.add(c + " IS NULL");
        }
        return "CASE WHEN " + String.join(" AND ", nulls) + " THEN CAST(NULL AS STRING) ELSE SHA2(CONCAT("
                + String.join(", CHR(" + HASH_SEPARATOR + "), ", texts) + "), 256) END";
    }

    /** A mapping value (a default, a per-SKU value) as a constant of the field's type. */
    private static String constant(ShopField f, String value) {
        return switch (f.kind) {
            case KEY -> "CAST(" + Long.parseLong(value.strip()) + " AS BIGINT)";
            case INTEGER -> "CAST(" + Integer.parseInt(value.strip()) + " AS INT)";
            case MONEY -> "CAST(" + literal(value.strip()) + " AS DECIMAL(12, 2))";
            case TIME -> "CAST(NULL AS TIMESTAMP(3))";
            case TEXT, ENUM -> literal(value);
        };
    }

    // --- statements on the views ------------------------------------------------------------------

    private static final Pattern ALTER = Pattern.compile(
            "(?is)^(\\s*ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?)`?(orders|order_items|payments|inventory)`?(\\s+(?:SET|RESET)\\b)");

    private static final Pattern HINTED = Pattern.compile("(?is)(?<![\\w.`])`?(orders|order_items|payments|inventory)`?"
            + "(\\s*/\\*\\+\\s*OPTIONS\\s*\\((?:[^()']|'(?:[^']|'')*')*\\)\\s*\\*/)"
            + "(\\s+(?:AS\\s+)?(?!(?:WHERE|GROUP|ORDER|HAVING|LIMIT|UNION|EXCEPT|INTERSECT|JOIN|LEFT|RIGHT|FULL|INNER"
            + "|CROSS|NATURAL|ON|USING|WINDOW|FOR|MATCH_RECOGNIZE)\\b)[A-Za-z_]\\w*)?");

    /**
     * A statement as it runs on the views: {@code ALTER TABLE <logical table> SET/RESET} goes to the
     * view's CDC table, and a logical table with an {@code OPTIONS} hint becomes the view's query
     * with the hint on the CDC table. Both are statements Flink refuses on a view; nothing else changes.
     */
    String rewrite(String statement) {
        Matcher alter = ALTER.matcher(statement);
        if (alter.find()) {
            ShopTable t = ShopTable.ofTableName(alter.group(2).toLowerCase(Locale.ROOT));
            return alter.replaceFirst(Matcher.quoteReplacement(alter.group(1) + cdcTable(t) + alter.group(3)));
        }
        Matcher m = HINTED.matcher(statement);
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            any = true;
            ShopTable t = ShopTable.ofTableName(m.group(1).toLowerCase(Locale.ROOT));
            String alias = m.group(3) != null ? m.group(3) : " AS " + t.tableName();
            String query = viewQueries
                    .get(t)
                    .replace(SOURCE, cdcTable(t) + " " + m.group(2).strip());
            m.appendReplacement(out, Matcher.quoteReplacement("(" + query + ")" + alias));
        }
        if (!any) {
            return statement;
        }
        m.appendTail(out);
        return out.toString();
    }

    // --- SQL text ---------------------------------------------------------------------------------

    static String ident(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    static String literal(String value) {
        return "'" + literalBody(value) + "'";
    }

    private static String literalBody(String value) {
        return value.replace("'", "''");
    }
}
