package io.paystream.jobs.mapping;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where one field of a logical table comes from, as a mapping file says it: a column (with a value
 * map, a money unit or a time zone as its kind needs), a constant default, per-SKU overrides, or for
 * the submit hash a SHA-256 that paystream computes over listed columns. Parsed and checked once;
 * {@link BoundField} turns it into a converter per table schema.
 */
public final class FieldSource implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Set<String> OPTIONS =
            Set.of("column", "default", "values", "unit", "zone", "per-sku", "compute-sha256-of");

    /** How a MONEY or TIME column is stored. */
    public enum Unit {
        /** Money: DECIMAL yuan with at most two places (the default). */
        YUAN,
        /** Money: whole fen in an integer column. */
        FEN,
        /** Time: TIMESTAMP, or DATETIME read in the field's zone (the default). */
        DATE_TIME,
        /** Time: whole seconds since the epoch in an integer column. */
        EPOCH_SECONDS,
        /** Time: milliseconds since the epoch in an integer column. */
        EPOCH_MILLIS
    }

    public final ShopField field;
    /** The column, or null when the field is a constant (or computed). */
    public final String column;
    /** The value when there is no column, or when the column is NULL; null for none. */
    public final String defaultValue;
    /** The shop's values onto paystream's names (ENUM fields); empty means the names themselves. */
    public final Map<String, String> values;

    public final Unit unit;
    /** The zone a DATETIME column's wall-clock values are in; null means UTC. */
    public final ZoneId zone;
    /** Per-SKU values that win over the column and the default (inventory fields). */
    public final Map<Long, String> perSku;
    /** Columns whose values the submit hash is computed from, when the table has no hash column. */
    public final List<String> computeFrom;
    /** The mapping line that set this field, for the messages of the start-up check. */
    public final String where;

    FieldSource(
            ShopField field,
            String column,
            String defaultValue,
            Map<String, String> values,
            Unit unit,
            ZoneId zone,
            Map<Long, String> perSku,
            List<String> computeFrom,
            String where) {
        this.field = field;
        this.column = column;
        this.defaultValue = defaultValue;
        this.values = Map.copyOf(values);
        this.unit = unit;
        this.zone = zone;
        this.perSku = Map.copyOf(perSku);
        this.computeFrom = List.copyOf(computeFrom);
        this.where = where;
    }

    /** A plain column of the given name, read the way the contract schema stores the field. */
    static FieldSource column(ShopField field, String column) {
        return new FieldSource(
                field, column, null, Map.of(), defaultUnit(field), null, Map.of(), List.of(), "contract schema");
    }

    /** The columns this field reads, in order: its column, or those its hash is computed from. */
    public List<String> columns() {
        if (column != null) {
            return List.of(column);
        }
        return computeFrom;
    }

    /** Whether the field is read at all (an OPTIONAL field may be absent: its feature is off). */
    public boolean isPresent() {
        return column != null || defaultValue != null || !computeFrom.isEmpty() || !perSku.isEmpty();
    }

    /** One line for people: what this field is read from. */
    public String describe(String table) {
        List<String> parts = new ArrayList<>();
        if (column != null) {
            parts.add(table + "." + column);
        }
        if (!computeFrom.isEmpty()) {
            parts.add("SHA-256 of " + table + ".(" + String.join(", ", computeFrom) + ")");
        }
        if (defaultValue != null) {
            parts.add((column == null ? "always " : "else ") + defaultValue);
        }
        if (!perSku.isEmpty()) {
            parts.add(perSku.size() + " SKU" + (perSku.size() == 1 ? "" : "s") + " overridden");
        }
        if (!values.isEmpty()) {
            parts.add("values " + values);
        }
        if (unit == Unit.FEN || unit == Unit.EPOCH_SECONDS || unit == Unit.EPOCH_MILLIS) {
            parts.add("in " + unit.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        if (zone != null) {
            parts.add("DATETIME in " + zone);
        }
        return String.join(", ", parts);
    }

    static Unit defaultUnit(ShopField field) {
        return field.kind == ShopField.Kind.MONEY ? Unit.YUAN : Unit.DATE_TIME;
    }

    /** Parses {@code node} (a column name, or a map of options); adds every problem to {@code problems}. */
    static FieldSource parse(ShopField field, MappingNode node, ZoneId serverZone, List<String> problems) {
        // A server's DATETIME zone is for its time fields only.
        ZoneId tableZone = field.kind == ShopField.Kind.TIME ? serverZone : null;
        if (node.isScalar()) {
            return new FieldSource(
                    field,
                    node.text(),
                    null,
                    Map.of(),
                    defaultUnit(field),
                    tableZone,
                    Map.of(),
                    List.of(),
                    node.where());
        }
        if (!node.isMap()) {
            problems.add(node.where() + ": expected a column name or a map of options (column, default, ...)");
            return null;
        }
        Map<String, MappingNode> options = node.entries();
        for (Map.Entry<String, MappingNode> e : options.entrySet()) {
            if (!OPTIONS.contains(e.getKey())) {
                problems.add(e.getValue().where() + ": unknown option '" + e.getKey() + "'; options are "
                        + new java.util.TreeSet<>(OPTIONS));
            }
        }
        String column = scalar(options.get("column"), problems);
        String defaultValue = scalar(options.get("default"), problems);
        Map<String, String> values = textMap(options.get("values"), problems);
        Unit unit = unit(field, options.get("unit"), problems);
        ZoneId zone = zone(options.get("zone"), problems);
        Map<Long, String> perSku = perSku(field, options.get("per-sku"), problems);
        List<String> computeFrom = columnList(field, options.get("compute-sha256-of"), problems);
        boolean limitsPerSkuOnly = field == ShopField.SKU_PER_USER_LIMIT && !perSku.isEmpty();
        if (column == null && defaultValue == null && computeFrom.isEmpty() && !limitsPerSkuOnly) {
            problems.add(node.where() + ": give a column, a default, or both");
        }
        if (!values.isEmpty() && field.kind != ShopField.Kind.ENUM) {
            problems.add(options.get("values").where() + ": a value map is only for "
                    + "status, channel and deduct-mode fields, not " + field.key);
        }
        if (field.kind == ShopField.Kind.ENUM) {
            checkEnumValues(field, options, values, defaultValue, perSku, problems);
        }
        return new FieldSource(
                field,
                column,
                defaultValue,
                values,
                unit,
                zone != null ? zone : tableZone,
                perSku,
                computeFrom,
                node.where());
    }

    private static void checkEnumValues(
            ShopField field,
            Map<String, MappingNode> options,
            Map<String, String> values,
            String defaultValue,
            Map<Long, String> perSku,
            List<String> problems) {
        List<String> names =
                Arrays.stream(field.values.getEnumConstants()).map(Enum::name).toList();
        values.forEach((from, to) -> {
            if (!names.contains(to)) {
                problems.add(options.get("values").where() + ": '" + from + "' maps onto '" + to + "', which is not a "
                        + field.key + " paystream knows " + names);
            }
        });
        if (defaultValue != null && !names.contains(defaultValue)) {
            problems.add(options.get("default").where() + ": default '" + defaultValue + "' is not one of " + names);
        }
        perSku.forEach((sku, v) -> {
            if (!names.contains(v)) {
                problems.add(options.get("per-sku").where() + ": SKU " + sku + ": '" + v + "' is not one of " + names);
            }
        });
    }

    private static String scalar(MappingNode node, List<String> problems) {
        if (node == null) {
            return null;
        }
        if (!node.isScalar() || node.text().isBlank()) {
            problems.add(node.where() + ": expected a single value");
            return null;
        }
        return node.text();
    }

    private static Map<String, String> textMap(MappingNode node, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isMap()) {
            problems.add(node.where() + ": expected a map from the shop's values to paystream's");
            return out;
        }
        node.entries().forEach((k, v) -> {
            String to = scalar(v, problems);
            if (to != null) {
                out.put(k, to);
            }
        });
        return out;
    }

    private static Unit unit(ShopField field, MappingNode node, List<String> problems) {
        if (node == null) {
            return defaultUnit(field);
        }
        String u = scalar(node, problems);
        if (u == null) {
            return defaultUnit(field);
        }
        if (field.kind == ShopField.Kind.MONEY && (u.equals("yuan") || u.equals("fen"))) {
            return u.equals("fen") ? Unit.FEN : Unit.YUAN;
        }
        if (field.kind == ShopField.Kind.TIME
                && Set.of("datetime", "epoch-seconds", "epoch-millis").contains(u)) {
            return u.equals("datetime")
                    ? Unit.DATE_TIME
                    : u.equals("epoch-seconds") ? Unit.EPOCH_SECONDS : Unit.EPOCH_MILLIS;
        }
        problems.add(node.where() + ": unit '" + u + "' does not fit " + field.key + " ("
                + (field.kind == ShopField.Kind.MONEY
                        ? "money: yuan or fen"
                        : field.kind == ShopField.Kind.TIME
                                ? "time: datetime, epoch-seconds or epoch-millis"
                                : "this field has no unit")
                + ")");
        return defaultUnit(field);
    }

    static ZoneId zone(MappingNode node, List<String> problems) {
        String z = node == null ? null : scalar(node, problems);
        if (z == null) {
            return null;
        }
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            problems.add(node.where() + ": '" + z + "' is not a time zone (e.g. Asia/Shanghai, UTC, +08:00)");
            return null;
        }
    }

    private static Map<Long, String> perSku(ShopField field, MappingNode node, List<String> problems) {
        Map<Long, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (field != ShopField.SKU_DEDUCT_MODE && field != ShopField.SKU_PER_USER_LIMIT) {
            problems.add(node.where() + ": per-sku overrides are only for deduct-mode and per-user-limit");
            return out;
        }
        node.entries().forEach((k, v) -> {
            String value = scalar(v, problems);
            try {
                long sku = Long.parseLong(k.strip());
                if (value != null) {
                    out.put(sku, value);
                }
            } catch (NumberFormatException e) {
                problems.add(v.where() + ": '" + k + "' is not a SKU id");
            }
            if (value != null && field == ShopField.SKU_PER_USER_LIMIT && !value.matches("\\d{1,9}")) {
                problems.add(v.where() + ": per-user-limit '" + value + "' is not a whole number of units");
            }
        });
        return out;
    }

    private static List<String> columnList(ShopField field, MappingNode node, List<String> problems) {
        if (node == null) {
            return List.of();
        }
        if (field != ShopField.ORDER_SUBMIT_HASH) {
            problems.add(node.where() + ": only the submit hash can be computed");
            return List.of();
        }
        if (!node.isList() || node.items().isEmpty()) {
            problems.add(
                    node.where() + ": expected a list of the order columns to hash, e.g. [user_id, receiver_address]");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (MappingNode item : node.items()) {
            String c = scalar(item, problems);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }
}
