package io.paystream.queryworker;

import java.util.LinkedHashMap;
import java.util.Map;

/** The command ids seen lately, at most {@code capacity} (least recently seen forgotten first). */
final class Dedup {
    private final Map<String, Boolean> ids;

    Dedup(int capacity) {
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True if {@code id} is new (and remembers it); false for a duplicate. Poller thread only. */
    boolean add(String id) {
        return ids.put(id, Boolean.TRUE) == null;
    }
}
