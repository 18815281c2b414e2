package io.paystream.jobs.mapping;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.state.cdc.ShopTable;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The shop's own tables as paystream reads them: which server, database and table (or shards)
 * each logical table lives in, and which column (value map, unit, zone, default) carries each
 * field. Without a mapping file it is the contract schema of docs/contract.md on the server of the
 * {@code mysql.*} settings. docs/mapping.md describes the file.
 */
public final class ShopMapping implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The name of the server of the {@code mysql.*} settings, when a mapping names no servers. */
    public static final String DEFAULT_SERVER = "shop";

    private static final Set<String> TOP = Set.of("servers", "tables");
    private static final Set<String> SERVER_OPTIONS = Set.of(
            "hostname",
            "port",
            "username",
            "password-env",
            "password-file",
            "session-time-zone",
            "database",
            "datetime-zone");
    private static final Set<String> TABLE_OPTIONS =
            Set.of("server", "database", "database-pattern", "table", "table-pattern", "columns", "search-fields");

    private final Map<String, ServerMapping> servers;
    private final EnumMap<ShopTable, TableMapping> tables;
    /** The file it came from, or "contract schema". */
    public final String origin;

    private ShopMapping(Map<String, ServerMapping> servers, Map<ShopTable, TableMapping> tables, String origin) {
        this.servers = new LinkedHashMap<>(servers);
        this.tables = new EnumMap<>(ShopTable.class);
        this.tables.putAll(tables);
        this.origin = origin;
    }

    /** The mapping the settings name ({@code mysql.mapping}), or the contract schema. */
    public static ShopMapping load(Settings settings, Map<String, String> environment) {
        ShopMapping mapping = read(settings, environment);
        for (ServerMapping s : mapping.servers.values()) {
            if (s.password() == null && s.passwordSource.startsWith("setting ")) {
                settings.required(PaystreamOptions.MYSQL_PASSWORD); // refuses by name, as every setting
            }
        }
        return mapping;
    }

    private static ShopMapping read(Settings settings, Map<String, String> environment) {
        if (!settings.isSet(PaystreamOptions.MYSQL_MAPPING)) {
            return contract(settings);
        }
        Path file = Path.of(settings.get(PaystreamOptions.MYSQL_MAPPING));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidMappingException(List.of("setting '" + PaystreamOptions.MYSQL_MAPPING.key()
                    + "': cannot read " + file + ": " + e.getMessage()));
        }
        return parse(file.toString(), text, settings, environment);
    }

    /** The contract schema (docs/contract.md) on the server of the {@code mysql.*} settings. */
    public static ShopMapping contract(Settings settings) {
        ServerMapping server = defaultServer(settings, "contract schema");
        Map<ShopTable, TableMapping> tables = new EnumMap<>(ShopTable.class);
        for (ShopTable t : ShopTable.values()) {
            Map<ShopField, FieldSource> fields = new EnumMap<>(ShopField.class);
            for (ShopField f : ShopField.of(t)) {
                String column = contractColumn(f);
                if (column != null) {
                    fields.put(f, FieldSource.column(f, column));
                }
            }
            tables.put(
                    t,
                    new TableMapping(
                            t,
                            DEFAULT_SERVER,
                            server.database,
                            false,
                            t.tableName(),
                            false,
                            fields,
                            List.of(),
                            "contract schema"));
        }
        return new ShopMapping(Map.of(DEFAULT_SERVER, server), tables, "contract schema");
    }

    /** The contract's column of a field: its mapping key with underscores ({@code total-amount}: total_amount). */
    public static String contractColumn(ShopField f) {
        switch (f) {
            case ORDER_ID:
            case ITEM_ORDER_ID:
            case PAYMENT_ORDER_ID:
                return "order_id";
            case ORDER_USER_ID:
                return "user_id";
            case ITEM_ID:
                return "item_id";
            case ITEM_SKU_ID:
            case SKU_ID:
                return "sku_id";
            case PAYMENT_ID:
            case REFUND_PAYMENT_ID:
                return "payment_id";
            case REFUND_ID:
                return "refund_id";
            case REFUND_ORDER_ID:
                return "order_id";
            case ORDER_NO:
            case ITEM_ORDER_NO:
            case PAYMENT_ORDER_NO:
                return null; // the contract's orders have no number apart from their id
            default:
                return f.key.replace('-', '_');
        }
    }

    /** Parses a mapping file's text; every problem is reported at once, each with its line. */
    public static ShopMapping parse(String name, String text, Settings settings, Map<String, String> environment) {
        MappingNode root = MappingNode.parse(name, text);
        List<String> problems = new ArrayList<>();
        if (!root.isMap()) {
            throw new InvalidMappingException(List.of(root.where() + ": expected 'servers:' and 'tables:' sections"));
        }
        Map<String, MappingNode> top = root.entries();
        unknown(top, TOP, problems);
        Map<String, ServerMapping> servers = servers(top.get("servers"), settings, environment, problems);
        Map<ShopTable, TableMapping> tables = new EnumMap<>(ShopTable.class);
        MappingNode tablesNode = top.get("tables");
        if (tablesNode == null || !tablesNode.isMap()) {
            problems.add(root.where()
                    + ": a 'tables:' section is required, with orders, order_items, payments and inventory"
                    + " (refunds optional)");
        } else {
            for (Map.Entry<String, MappingNode> e : tablesNode.entries().entrySet()) {
                ShopTable t = ShopTable.ofTableName(e.getKey());
                if (t == null) {
                    problems.add(e.getValue().where() + ": '" + e.getKey()
                            + "' is not a logical table; they are orders, order_items, payments, inventory,"
                            + " refunds");
                    continue;
                }
                TableMapping tm = table(t, e.getValue(), servers, problems);
                if (tm != null) {
                    tables.put(t, tm);
                }
            }
            for (ShopTable t : ShopTable.values()) {
                // Refunds are optional: a shop that maps none runs without the refund watch.
                if (t != ShopTable.REFUNDS && !tablesNode.entries().containsKey(t.tableName())) {
                    problems.add(tablesNode.where() + ": no mapping for logical table '" + t.tableName() + "'");
                }
            }
            checkOrderReference(tables, ShopField.ITEM_ORDER_ID, ShopField.ITEM_ORDER_NO, problems);
            checkOrderReference(tables, ShopField.PAYMENT_ORDER_ID, ShopField.PAYMENT_ORDER_NO, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidMappingException(problems);
        }
        return new ShopMapping(servers, tables, name);
    }

    /** A child table references its order by exactly one of the order's id and its number. */
    private static void checkOrderReference(
            Map<ShopTable, TableMapping> tables, ShopField byId, ShopField byNumber, List<String> problems) {
        TableMapping child = tables.get(byId.table);
        if (child == null) {
            return;
        }
        boolean id = child.fields.containsKey(byId);
        boolean number = child.fields.containsKey(byNumber);
        if (id == number) {
            problems.add(child.where + " (" + child.table.tableName() + "): give exactly one of order-id (the order's"
                    + " id) and order-no (the order's number) for the order it belongs to");
        }
        TableMapping orders = tables.get(ShopTable.ORDERS);
        if (number && orders != null && orders.field(ShopField.ORDER_NO) == null) {
            problems.add(child.fields.get(byNumber).where + " (" + child.table.tableName() + ".order-no): the order's"
                    + " number is only known if orders maps order-no too");
        }
    }

    /** Whether the rows of {@code child} name their order by its number, to be resolved to its id. */
    public boolean byOrderNumber(ShopTable child) {
        TableMapping t = tables.get(child);
        return t != null && (t.field(ShopField.ITEM_ORDER_NO) != null || t.field(ShopField.PAYMENT_ORDER_NO) != null);
    }

    private static Map<String, ServerMapping> servers(
            MappingNode node, Settings settings, Map<String, String> environment, List<String> problems) {
        Map<String, ServerMapping> out = new LinkedHashMap<>();
        if (node == null) {
            out.put(DEFAULT_SERVER, defaultServer(settings, "mysql.* settings"));
            return out;
        }
        if (!node.isMap() || node.entries().isEmpty()) {
            problems.add(node.where() + ": expected one entry per server, e.g. 'shop: {hostname: db1}'");
            return out;
        }
        for (Map.Entry<String, MappingNode> e : node.entries().entrySet()) {
            if (!e.getKey().matches("[a-z][a-z0-9-]{0,30}")) {
                problems.add(e.getValue().where() + ": server name '" + e.getKey()
                        + "' must be lower-case letters, digits and dashes (it is part of the CDC source's uid)");
                continue;
            }
            out.put(e.getKey(), server(e.getKey(), e.getValue(), settings, environment, problems));
        }
        return out;
    }

    private static ServerMapping defaultServer(Settings settings, String passwordSource) {
        return new ServerMapping(
                DEFAULT_SERVER,
                settings.get(PaystreamOptions.MYSQL_HOSTNAME),
                settings.get(PaystreamOptions.MYSQL_PORT),
                settings.get(PaystreamOptions.MYSQL_USERNAME),
                settings.get(PaystreamOptions.MYSQL_PASSWORD),
                "setting " + PaystreamOptions.MYSQL_PASSWORD.key(),
                settings.get(PaystreamOptions.MYSQL_SERVER_TIME_ZONE),
                settings.get(PaystreamOptions.MYSQL_DATABASE),
                null);
    }

    private static ServerMapping server(
            String name, MappingNode node, Settings settings, Map<String, String> environment, List<String> problems) {
        Map<String, MappingNode> o = node.entries();
        if (!node.isMap()) {
            problems.add(node.where() + ": expected the server's options (hostname, port, ...)");
        }
        Map<String, MappingNode> others = new LinkedHashMap<>(o);
        others.remove("password"); // refused below with its own reason
        unknown(others, SERVER_OPTIONS, problems);
        if (o.containsKey("password")) {
            problems.add(o.get("password").where() + ": passwords never go in the mapping file: "
                    + "name an environment variable (password-env) or a file (password-file)");
        }
        ServerMapping d = defaultServer(settings, "");
        String password = d.password();
        String passwordSource = "setting " + PaystreamOptions.MYSQL_PASSWORD.key();
        if (o.containsKey("password-env")) {
            String var = text(o.get("password-env"), problems);
            password = var == null ? null : environment.get(var);
            passwordSource = "environment " + var;
            if (var != null && password == null) {
                problems.add(o.get("password-env").where() + ": environment variable " + var + " is not set");
            }
        } else if (o.containsKey("password-file")) {
            String f = text(o.get("password-file"), problems);
            passwordSource = "file " + f;
            try {
                password = f == null
                        ? null
                        : Files.readString(Path.of(f), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                problems.add(o.get("password-file").where() + ": cannot read " + f + ": " + e.getMessage());
            }
        }
        int port = d.port;
        if (o.containsKey("port")) {
            String p = text(o.get("port"), problems);
            try {
                port = Integer.parseInt(p);
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(o.get("port").where() + ": '" + p + "' is not a TCP port");
            }
        }
        return new ServerMapping(
                name,
                o.containsKey("hostname") ? text(o.get("hostname"), problems) : d.hostname,
                port,
                o.containsKey("username") ? text(o.get("username"), problems) : d.username,
                password,
                passwordSource,
                o.containsKey("session-time-zone") ? text(o.get("session-time-zone"), problems) : d.sessionTimeZone,
                o.containsKey("database") ? text(o.get("database"), problems) : d.database,
                FieldSource.zone(o.get("datetime-zone"), problems));
    }

    private static TableMapping table(
            ShopTable t, MappingNode node, Map<String, ServerMapping> servers, List<String> problems) {
        if (!node.isMap()) {
            problems.add(node.where() + ": expected the table's options (server, database, table, columns)");
            return null;
        }
        Map<String, MappingNode> o = node.entries();
        unknown(o, TABLE_OPTIONS, problems);
        String serverName = o.containsKey("server")
                ? text(o.get("server"), problems)
                : servers.size() == 1
                        ? servers.keySet().iterator().next()
                        : servers.containsKey(DEFAULT_SERVER) ? DEFAULT_SERVER : null;
        ServerMapping server = serverName == null ? null : servers.get(serverName);
        if (server == null) {
            problems.add((o.containsKey("server") ? o.get("server") : node).where() + ": "
                    + (serverName == null
                            ? "name the server (there are several, none named shop): "
                            : "no server '" + serverName + "': ")
                    + "servers are " + servers.keySet());
        }
        if (o.containsKey("database") && o.containsKey("database-pattern")) {
            problems.add(node.where() + ": give database or database-pattern, not both");
        }
        if (o.containsKey("table") && o.containsKey("table-pattern")) {
            problems.add(node.where() + ": give table or table-pattern, not both");
        }
        boolean dbPattern = o.containsKey("database-pattern");
        String database = dbPattern
                ? pattern(o.get("database-pattern"), problems)
                : o.containsKey("database")
                        ? text(o.get("database"), problems)
                        : server == null ? null : server.database;
        boolean tablePattern = o.containsKey("table-pattern");
        String tableName = tablePattern
                ? pattern(o.get("table-pattern"), problems)
                : o.containsKey("table") ? text(o.get("table"), problems) : t.tableName();
        ZoneId zone = server == null ? null : server.datetimeZone;
        Map<ShopField, FieldSource> fields = new EnumMap<>(ShopField.class);
        MappingNode columns = o.get("columns");
        if (columns == null || !columns.isMap()) {
            problems.add(node.where() + ": a 'columns:' section is required: " + keys(t));
        } else {
            for (Map.Entry<String, MappingNode> e : columns.entries().entrySet()) {
                ShopField f = ShopField.of(t, e.getKey());
                if (f == null) {
                    problems.add(e.getValue().where() + ": '" + e.getKey() + "' is not a field of " + t.tableName()
                            + "; fields are " + keys(t));
                    continue;
                }
                FieldSource s = FieldSource.parse(f, e.getValue(), zone, problems);
                if (s != null) {
                    fields.put(f, s);
                }
            }
            for (ShopField f : ShopField.of(t)) {
                if (f.need == ShopField.Need.REQUIRED && !fields.containsKey(f)) {
                    problems.add(columns.where() + ": required field '" + f.key + "' has no column or default");
                }
            }
        }
        List<SearchField> searchFields = List.of();
        if (o.containsKey("search-fields")) {
            if (t != ShopTable.ORDERS) {
                problems.add(o.get("search-fields").where() + ": search fields are extra columns of orders only");
            } else {
                searchFields = SearchField.parse(o.get("search-fields"), zone, problems);
            }
        }
        if (server == null || database == null || tableName == null) {
            return null;
        }
        return new TableMapping(
                t, server.name, database, dbPattern, tableName, tablePattern, fields, searchFields, node.where());
    }

    private static String pattern(MappingNode node, List<String> problems) {
        String p = text(node, problems);
        if (p == null) {
            return null;
        }
        try {
            Pattern.compile(p);
            if (p.contains(",")) {
                problems.add(node.where() + ": a pattern may not contain ',' (the CDC table list separator)");
            }
            return p;
        } catch (PatternSyntaxException e) {
            problems.add(node.where() + ": '" + p + "' is not a regular expression: " + e.getDescription());
            return null;
        }
    }

    private static List<String> keys(ShopTable t) {
        return ShopField.of(t).stream().map(f -> f.key).toList();
    }

    private static String text(MappingNode node, List<String> problems) {
        if (node == null || !node.isScalar() || node.text().isBlank()) {
            problems.add((node == null ? "?" : node.where()) + ": expected a single value");
            return null;
        }
        return node.text().strip();
    }

    private static void unknown(Map<String, MappingNode> entries, Set<String> known, List<String> problems) {
        entries.forEach((k, v) -> {
            if (!known.contains(k)) {
                problems.add(v.where() + ": unknown option '" + k + "'; options here are " + new TreeSet<>(known));
            }
        });
    }

    /**
     * One line per optional feature: what it reads, or that it is off and why. A feature whose
     * inputs the mapping leaves out is switched off, never guessed.
     */
    public List<String> features() {
        List<String> out = new ArrayList<>();
        TableMapping orders = tables.get(ShopTable.ORDERS);
        TableMapping payments = tables.get(ShopTable.PAYMENTS);
        TableMapping inventory = tables.get(ShopTable.INVENTORY);
        out.add(feature("duplicate submissions", orders, ShopField.ORDER_SUBMIT_HASH));
        out.add(feature("unpaid-order risk per client IP", orders, ShopField.ORDER_CLIENT_IP));
        out.add(feature("purchase limits", inventory, ShopField.SKU_PER_USER_LIMIT));
        out.add(feature("deduct mode", inventory, ShopField.SKU_DEDUCT_MODE));
        out.add(feature("channel transaction ids in outcomes", payments, ShopField.PAYMENT_CHANNEL_TXN_ID));
        TableMapping refunds = tables.get(ShopTable.REFUNDS);
        out.add(
                refunds == null
                        ? "refund watch: off (no mapping for logical table 'refunds')"
                        : "refund watch: on (" + refunds.describe() + ")");
        return out;
    }

    private static String feature(String name, TableMapping t, ShopField field) {
        FieldSource s = t == null ? null : t.field(field);
        return s == null
                ? name + ": off (" + field.table.tableName() + " maps no " + field.key + ")"
                : name + ": on (" + s.describe(t.tableName) + ")";
    }

    /** Where each logical table lives, one line each. */
    public List<String> describeTables() {
        List<String> out = new ArrayList<>();
        tables.values()
                .forEach(t ->
                        out.add(t.table.tableName() + ": " + t.describe() + " on server " + servers.get(t.server)));
        return out;
    }

    /** The extra order columns the order documents carry, in the mapping's order; empty for none. */
    public List<SearchField> searchFields() {
        TableMapping orders = tables.get(ShopTable.ORDERS);
        return orders == null ? List.of() : orders.searchFields;
    }

    public TableMapping table(ShopTable t) {
        return tables.get(t);
    }

    public ServerMapping server(String name) {
        return servers.get(name);
    }

    /** The servers, in the mapping's order. */
    public List<ServerMapping> servers() {
        return List.copyOf(servers.values());
    }

    /** The servers holding any of {@code wanted}, in the mapping's order, each with its tables. */
    public Map<ServerMapping, List<TableMapping>> serversOf(Set<ShopTable> wanted) {
        Map<ServerMapping, List<TableMapping>> out = new LinkedHashMap<>();
        for (ServerMapping s : servers.values()) {
            for (ShopTable t : ShopTable.values()) {
                TableMapping tm = tables.get(t);
                if (wanted.contains(t) && tm != null && tm.server.equals(s.name)) {
                    out.computeIfAbsent(s, k -> new ArrayList<>()).add(tm);
                }
            }
        }
        return out;
    }
}
