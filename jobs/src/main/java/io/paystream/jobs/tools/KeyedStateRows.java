package io.paystream.jobs.tools;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/**
 * The one keyed-state reader of the savepoint report: an operator's states, named by their
 * descriptors, read key by key into exactly one row per key (see {@link SavepointReport#EVERY_KEY})
 * by a row function.
 */
final class KeyedStateRows<K, R> extends KeyedStateReaderFunction<K, R> {
    /** One key's row, from its states and timers. */
    @FunctionalInterface
    interface RowOf<K, R> extends Serializable {
        R row(K key, KeyState state) throws Exception;
    }

    private final List<StateDescriptor<?, ?>> descriptors;
    private final RowOf<K, R> rowOf;
    private transient KeyState current;

    private KeyedStateRows(List<StateDescriptor<?, ?>> descriptors, RowOf<K, R> rowOf) {
        this.descriptors = descriptors;
        this.rowOf = rowOf;
    }

    /**
     * All rows of the operator {@code uid}'s keyed state (a small batch job): {@code states} as the
     * job declares them (name, type, TTL), one row per key made by {@code rowOf}.
     */
    static <K, R> List<R> read(
            SavepointReader savepoint,
            String uid,
            TypeInformation<K> keyType,
            Class<R> rowType,
            RowOf<K, R> rowOf,
            StateDescriptor<?, ?>... states)
            throws Exception {
        List<R> rows = new ArrayList<>();
        try (var it = savepoint
                .readKeyedState(
                        OperatorIdentifier.forUid(uid),
                        new KeyedStateRows<>(new ArrayList<>(List.of(states)), rowOf),
                        keyType,
                        TypeInformation.of(rowType))
                .executeAndCollect("paystream savepoint report: " + uid)) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Override
    public void open(Configuration parameters) {
        Map<String, State> states = new HashMap<>();
        for (StateDescriptor<?, ?> d : descriptors) {
            State s;
            if (d instanceof ValueStateDescriptor<?> v) {
                s = getRuntimeContext().getState(v);
            } else if (d instanceof ListStateDescriptor<?> l) {
                s = getRuntimeContext().getListState(l);
            } else if (d instanceof MapStateDescriptor<?, ?> m) {
                s = getRuntimeContext().getMapState(m);
            } else {
                throw new IllegalArgumentException("not a value, list or map state: " + d);
            }
            states.put(d.getName(), s);
        }
        current = new KeyState(states);
    }

    @Override
    public void readKey(K key, Context ctx, Collector<R> out) throws Exception {
        current.ctx = ctx;
        out.collect(rowOf.row(key, current));
    }

    /** The current key's states (by the descriptors given to {@link #read}) and timers. */
    static final class KeyState {
        private final Map<String, State> states;
        private Context ctx;

        private KeyState(Map<String, State> states) {
            this.states = states;
        }

        @SuppressWarnings("unchecked")
        <T> T value(ValueStateDescriptor<T> d) throws Exception {
            return ((ValueState<T>) states.get(d.getName())).value();
        }

        int count(ListStateDescriptor<?> d) throws Exception {
            Iterable<?> all = ((ListState<?>) states.get(d.getName())).get();
            int n = 0;
            for (Object ignored : all == null ? List.of() : all) {
                n++;
            }
            return n;
        }

        int count(MapStateDescriptor<?, ?> d) throws Exception {
            int n = 0;
            for (Object ignored : ((MapState<?, ?>) states.get(d.getName())).keys()) {
                n++;
            }
            return n;
        }

        @SuppressWarnings("unchecked")
        <V> Iterable<V> values(MapStateDescriptor<?, V> d) throws Exception {
            return ((MapState<?, V>) states.get(d.getName())).values();
        }

        /** The key's processing-time timers, in order. */
        Set<Long> timers() throws Exception {
            return new TreeSet<>(ctx.registeredProcessingTimeTimers());
        }
    }
}
