package io.paystream.sqlrunner;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.mapping.MappingCheck;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.state.cdc.ShopTable;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/sql-client with a table mapping ({@code --mysql.mapping FILE} or {@code
 * PAYSTREAM_MYSQL_MAPPING}): the mapping loaded from the same settings and secrets the jobs use,
 * checked against the live servers as a job checks it at start, and the catalog's contract shop
 * tables replaced by the {@link MappedCatalog} of it.
 */
final class MappedTables {
    /** The four CREATE TABLE statements of the contract's shop tables in sql/catalog.sql. */
    private static final Pattern SHOP_TABLE =
            Pattern.compile("(?ms)^CREATE TABLE (?:orders|order_items|payments|inventory) \\(.*?^\\);[ \\t]*\\n?");

    private MappedTables() {}

    /**
     * The mapping named by {@code mappingFile} (or by the values' PAYSTREAM_MYSQL_MAPPING), its
     * servers defaulting to the {@code mysql.*} settings of {@code values} (the environment, or the
     * sandbox's endpoints), checked on the servers.
     */
    static MappedCatalog load(String mappingFile, Map<String, String> values) throws SQLException {
        String[] args = mappingFile == null ? new String[0] : new String[] {"--mysql.mapping", mappingFile};
        Settings settings = Settings.load(
                args,
                values,
                List.of(
                        PaystreamOptions.MYSQL_HOSTNAME,
                        PaystreamOptions.MYSQL_PORT,
                        PaystreamOptions.MYSQL_DATABASE,
                        PaystreamOptions.MYSQL_USERNAME,
                        PaystreamOptions.MYSQL_PASSWORD,
                        PaystreamOptions.MYSQL_SERVER_TIME_ZONE,
                        PaystreamOptions.MYSQL_MAPPING));
        ShopMapping mapping = ShopMapping.load(settings, values);
        MappingCheck.Report report = MappingCheck.check(mapping, EnumSet.allOf(ShopTable.class));
        if (!report.ok()) {
            throw new IllegalArgumentException("the table mapping " + mapping.origin + " does not fit the database ("
                    + report.problems.size() + " problem" + (report.problems.size() == 1 ? "" : "s") + "):\n  - "
                    + String.join("\n  - ", report.problems)
                    + "\n(deploy/mapping-check --mysql.mapping " + mapping.origin + " prints the same)");
        }
        return new MappedCatalog(mapping, PhysicalColumns.read(mapping));
    }

    /**
     * The catalog with its CREATE TABLE statements of orders, order_items, payments and inventory
     * replaced by {@code shopTables} (where the first of them stood; at the end if it has none).
     */
    static String replaceShopTables(String catalog, String shopTables) {
        Matcher m = SHOP_TABLE.matcher(catalog);
        StringBuilder out = new StringBuilder();
        boolean first = true;
        while (m.find()) {
            m.appendReplacement(out, first ? Matcher.quoteReplacement(shopTables) : "");
            first = false;
        }
        m.appendTail(out);
        if (first) {
            out.append("\n").append(shopTables);
        }
        return out.toString();
    }
}
