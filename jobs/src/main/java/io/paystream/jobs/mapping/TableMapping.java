package io.paystream.jobs.mapping;

import io.paystream.state.cdc.ShopTable;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where one logical table lives (server, database and table, or patterns that merge shards into
 * one table) and where each of its fields comes from.
 */
public final class TableMapping implements Serializable {
    private static final long serialVersionUID = 1L;

    public final ShopTable table;
    public final String server;
    /** An exact database name, or a regular expression over database names (shards). */
    public final String database;

    public final boolean databaseIsPattern;
    /** An exact table name, or a regular expression over table names (shards). */
    public final String tableName;

    public final boolean tableIsPattern;
    public final EnumMap<ShopField, FieldSource> fields;
    /** Extra columns the order documents carry (orders only). */
    public final List<SearchField> searchFields;

    public final String where;

    TableMapping(
            ShopTable table,
            String server,
            String database,
            boolean databaseIsPattern,
            String tableName,
            boolean tableIsPattern,
            Map<ShopField, FieldSource> fields,
            List<SearchField> searchFields,
            String where) {
        this.table = table;
        this.server = server;
        this.database = database;
        this.databaseIsPattern = databaseIsPattern;
        this.tableName = tableName;
        this.tableIsPattern = tableIsPattern;
        this.fields = new EnumMap<>(ShopField.class);
        this.fields.putAll(fields);
        this.searchFields = List.copyOf(searchFields);
        this.where = where;
    }

    /** The field's source, or null when the mapping leaves an OPTIONAL field out. */
    public FieldSource field(ShopField f) {
        FieldSource s = fields.get(f);
        return s != null && s.isPresent() ? s : null;
    }

    public boolean matches(String db, String table) {
        return (databaseIsPattern ? Pattern.matches(database, db) : database.equals(db))
                && (tableIsPattern ? Pattern.matches(tableName, table) : tableName.equals(table));
    }

    /** The database name or regular expression, for the CDC source's database list. */
    public String databaseRegex() {
        return database;
    }

    /**
     * The {@code database.table} entry of the CDC source's table list (regular expressions matched
     * against whole qualified names). The separator stays an unescaped dot, as in Flink CDC's own
     * examples: it matches the literal dot, and a name never holds one.
     */
    public String tableRegex() {
        return database + "." + tableName;
    }

    /** {@code server/database.table}, patterns shown as such. */
    public String describe() {
        return server + "/" + (databaseIsPattern ? "~" : "") + database + "." + (tableIsPattern ? "~" : "") + tableName;
    }
}
