package io.paystream.sandbox.traffic;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The shop's SKUs: half deducted on order, half on payment; some with a per-user limit. */
final class Catalogue {
    static final class Sku {
        final long skuId;
        final long priceCents;
        final Integer perUserLimit;
        /** deduct_mode ORDER: the front end checks its stock before creating an order. */
        final boolean deductOnOrder;

        Sku(long skuId, long priceCents, Integer perUserLimit, boolean deductOnOrder) {
            this.skuId = skuId;
            this.priceCents = priceCents;
            this.perUserLimit = perUserLimit;
            this.deductOnOrder = deductOnOrder;
        }
    }

    private static final String[] NAMES = {
        "Oolong tea",
        "Jasmine tea",
        "Mooncake box",
        "Rice cooker",
        "Bamboo steamer",
        "Silk scarf",
        "Porcelain cup",
        "Chopsticks set",
        "Red envelope pack",
        "Lantern",
        "Dumpling kit",
        "Wok"
    };

    final List<Sku> skus = new ArrayList<>();

    /** The SKU of {@code skuId} (ids are 1001, 1002, ... in order). */
    Sku byId(long skuId) {
        return skus.get((int) (skuId - 1001));
    }

    /** Seeds {@code count} SKUs (ids from 1001) unless they exist; returns the catalogue. */
    static Catalogue seed(Connection c, int count, Random random) throws SQLException {
        Catalogue cat = new Catalogue();
        try (PreparedStatement s = c.prepareStatement(
                "INSERT IGNORE INTO inventory (sku_id, name, stock, deduct_mode, per_user_limit) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                long skuId = 1001 + i;
                // Scarce flash-sale items deduct on order with a limit; the rest deduct on payment.
                boolean flash = i % 5 == 0;
                Integer limit = flash ? 3 : null;
                long price = 100 * (5 + random.nextInt(300)) + (random.nextBoolean() ? 50 : 0);
                s.setLong(1, skuId);
                s.setString(2, NAMES[i % NAMES.length] + " #" + skuId);
                s.setInt(3, flash ? 50 + random.nextInt(100) : 500 + random.nextInt(5000));
                boolean deductOnOrder = i % 2 == 0;
                s.setString(4, deductOnOrder ? "ORDER" : "PAYMENT");
                if (limit == null) {
                    s.setNull(5, java.sql.Types.INTEGER);
                } else {
                    s.setInt(5, limit);
                }
                s.addBatch();
                cat.skus.add(new Sku(skuId, price, limit, deductOnOrder));
            }
            s.executeBatch();
        }
        return cat;
    }
}
