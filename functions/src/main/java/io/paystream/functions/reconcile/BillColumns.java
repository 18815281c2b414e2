package io.paystream.functions.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bill's header: where each column is, found by name (the channels do not promise an order, and
 * add columns over the years). Names are compared after the same cleaning as values, with ASCII
 * parentheses read as the full-width ones Alipay writes ({@code 订单金额（元）}).
 */
final class BillColumns {
    private final Map<String, Integer> index = new HashMap<>();
    private final int count;

    private BillColumns(List<String> names) {
        this.count = names.size();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(normalized(names.get(i)), i);
        }
    }

    static BillColumns of(String headerLine) {
        List<String> names = new ArrayList<>();
        BillFields.split(BillFields.withoutBom(headerLine), names);
        return new BillColumns(names);
    }

    /** How many columns the header has: a detail line with another count is malformed. */
    int count() {
        return count;
    }

    /** The position of a column, or -1. */
    int find(String name) {
        return index.getOrDefault(normalized(name), -1);
    }

    /** The required columns this header lacks (empty when it has them all). */
    List<String> missing(String... required) {
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            if (find(name) < 0) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static String normalized(String name) {
        return name.replace('(', '（').replace(')', '）');
    }
}
