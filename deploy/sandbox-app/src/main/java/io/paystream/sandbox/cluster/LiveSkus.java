package io.paystream.sandbox.cluster;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A one-line view of the most recently changed {@code stock:*} hashes, for the sandbox's status
 * line. It scans at most {@link #MAX_KEYS} keys: a diagnostic for small catalogues, not for a
 * shop's production Redis.
 */
final class LiveSkus {
    static final int MAX_KEYS = 2000;

    private LiveSkus() {}

    static String describe(String redisUri, String keyPrefix, int howMany) {
        String prefix = keyPrefix + "stock:";
        try (Jedis jedis = new Jedis(URI.create(redisUri))) {
            List<String> keys = new ArrayList<>();
            ScanParams params = new ScanParams().match(prefix + "*").count(500);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> r = jedis.scan(cursor, params);
                keys.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && keys.size() < MAX_KEYS);
            Pipeline p = jedis.pipelined();
            List<Response<Map<String, String>>> hashes = new ArrayList<>();
            for (String k : keys) {
                hashes.add(p.hgetAll(k));
            }
            p.sync();
            List<String[]> skus = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                Map<String, String> h = hashes.get(i).get();
                skus.add(new String[] {
                    keys.get(i).substring(prefix.length()),
                    h.getOrDefault("updatedAt", "0"),
                    h.get("mode") + " total " + h.get("total") + " reserved " + h.get("reserved") + " sold "
                            + h.get("sold") + " available " + h.get("available")
                });
            }
            skus.sort(Comparator.comparingLong((String[] s) -> Long.parseLong(s[1]))
                    .reversed());
            StringBuilder b = new StringBuilder("live SKUs (" + keys.size() + " in Redis):");
            for (int i = 0; i < Math.min(howMany, skus.size()); i++) {
                b.append(i == 0 ? " " : " | ")
                        .append(skus.get(i)[0])
                        .append(' ')
                        .append(skus.get(i)[2]);
            }
            return b.toString();
        } catch (RuntimeException e) {
            return "live SKUs: Redis not readable (" + e.getMessage() + ")";
        }
    }
}
