package io.paystream.jobs.mapping;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An extra order column the order document carries under {@code extra.<name>} in Elasticsearch
 * (a receiver's name, a delivery city...), with the index mapping type it is searched by.
 */
public final class SearchField implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The Elasticsearch field types an extra column may take. */
    public static final Set<String> TYPES = Set.of("keyword", "text", "long", "double", "date", "boolean", "ip");

    /** The field's name in the document, under {@code extra}. */
    public final String name;

    public final String column;
    /** The Elasticsearch mapping type. */
    public final String type;
    /** For a {@code date} from a DATETIME column: the zone of its wall-clock values. */
    public final ZoneId zone;

    public final String where;

    SearchField(String name, String column, String type, ZoneId zone, String where) {
        this.name = name;
        this.column = column;
        this.type = type;
        this.zone = zone;
        this.where = where;
    }

    /** As a field source, so the row reader converts it like any field (a date as epoch milliseconds). */
    FieldSource source() {
        ShopField kind = type.equals("date") ? ShopField.ORDER_UPDATED_AT : ShopField.ORDER_CLIENT_IP;
        return new FieldSource(
                kind, column, null, Map.of(), FieldSource.defaultUnit(kind), zone, Map.of(), List.of(), where);
    }

    /** Parses the orders' {@code search-fields:} section. */
    static List<SearchField> parse(MappingNode node, ZoneId serverZone, List<String> problems) {
        if (node == null) {
            return List.of();
        }
        if (!node.isMap()) {
            problems.add(node.where() + ": expected one entry per document field, e.g. 'receiverName: receiver_name'");
            return List.of();
        }
        List<SearchField> out = new java.util.ArrayList<>();
        node.entries().forEach((name, v) -> {
            if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
                problems.add(v.where() + ": '" + name + "' is not a document field name (letters, digits, _)");
                return;
            }
            if (v.isScalar()) {
                out.add(new SearchField(name, v.text(), "keyword", null, v.where()));
                return;
            }
            Map<String, MappingNode> o = v.entries();
            MappingNode column = o.get("column");
            MappingNode type = o.get("type");
            o.keySet().stream()
                    .filter(k -> !Set.of("column", "type", "zone").contains(k))
                    .forEach(k -> problems.add(
                            o.get(k).where() + ": unknown option '" + k + "'; options here are [column, type, zone]"));
            if (column == null || !column.isScalar()) {
                problems.add(v.where() + ": give the column ('column: receiver_name')");
                return;
            }
            String t = type == null ? "keyword" : type.text();
            if (!TYPES.contains(t)) {
                problems.add(type.where() + ": '" + t + "' is not one of the types " + new java.util.TreeSet<>(TYPES));
                return;
            }
            ZoneId zone = FieldSource.zone(o.get("zone"), problems);
            out.add(new SearchField(name, column.text(), t, zone != null ? zone : serverZone, v.where()));
        });
        return List.copyOf(out);
    }
}
