package io.paystream.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.contrib.streaming.state.RocksDBKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** What harness tests of keyed functions ask of any Flink operator test harness, written once. */
public final class Harnesses {
    private Harnesses() {}

    /** Every key forgotten: no keyed state entry and no timer left. */
    public static void assertNothingLeft(AbstractStreamOperatorTestHarness<?> harness) {
        assertThat(keyedStateEntries(harness)).as("keyed state entries").isZero();
        assertThat(harness.numProcessingTimeTimers()).as("timers").isZero();
    }

    /** Entries in the operator's keyed state backend (heap or RocksDB), over every state and key. */
    public static int keyedStateEntries(AbstractStreamOperatorTestHarness<?> harness) {
        KeyedStateBackend<?> backend = harness.getOperator().getKeyedStateBackend();
        if (backend instanceof RocksDBKeyedStateBackend<?> rocksDb) {
            // Keys (not entries) of the function's own states: timers are column families too,
            // counted by numProcessingTimeTimers, and a fired timer's removal can still sit in an
            // unflushed write batch, which RocksDB's own count would still see.
            int keys = 0;
            for (String state : stateNames(rocksDb)) {
                if (!state.startsWith("_timer_state/")) {
                    try (var k = rocksDb.getKeys(state, VoidNamespace.INSTANCE)) {
                        keys += (int) k.count();
                    }
                }
            }
            return keys;
        }
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    /** The states registered in a RocksDB backend (Flink has no public accessor for their names). */
    @SuppressWarnings("unchecked")
    private static java.util.Set<String> stateNames(RocksDBKeyedStateBackend<?> backend) {
        try {
            var f = RocksDBKeyedStateBackend.class.getDeclaredField("kvStateInformation");
            f.setAccessible(true);
            return new java.util.LinkedHashSet<>(((Map<String, ?>) f.get(backend)).keySet());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot list the RocksDB backend's states", e);
        }
    }

    /** The values emitted to a side output so far (empty when none). */
    public static <T> List<T> sideOutput(AbstractStreamOperatorTestHarness<?> harness, OutputTag<T> tag) {
        var out = harness.getSideOutput(tag);
        return out == null
                ? List.of()
                : out.stream().map(StreamRecord::getValue).toList();
    }

    /**
     * The value a function keeps for {@code key} in its value state named {@code stateName} (use
     * the function's state-name constant); null when there is none.
     */
    public static <K, V> V valueState(
            AbstractStreamOperatorTestHarness<?> harness, K key, String stateName, Class<V> type) throws Exception {
        return state(harness, key, stateName, type).value();
    }

    /** Overwrites that value, e.g. to make it look like state an older version wrote. */
    public static <K, V> void putValueState(
            AbstractStreamOperatorTestHarness<?> harness, K key, String stateName, Class<V> type, V value)
            throws Exception {
        state(harness, key, stateName, type).update(value);
    }

    /**
     * A copy of what a function keeps for {@code key} in its map state named {@code stateName}
     * (empty when nothing); the types are the ones the function registered the state with.
     */
    public static <K, UK, UV> Map<UK, UV> mapState(
            AbstractStreamOperatorTestHarness<?> harness,
            K key,
            String stateName,
            TypeInformation<UK> keyType,
            TypeInformation<UV> valueType)
            throws Exception {
        AbstractStreamOperator<?> operator = harness.getOperator();
        operator.setCurrentKey(key);
        MapState<UK, UV> state = operator.getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>(stateName, keyType, valueType));
        Map<UK, UV> copy = new LinkedHashMap<>();
        for (Map.Entry<UK, UV> e : state.entries()) {
            copy.put(e.getKey(), e.getValue());
        }
        return copy;
    }

    /** Puts entries into a function's map state, e.g. to make it look like state an older version wrote. */
    public static <K, UK, UV> void putMapState(
            AbstractStreamOperatorTestHarness<?> harness,
            K key,
            String stateName,
            TypeInformation<UK> keyType,
            TypeInformation<UV> valueType,
            Map<UK, UV> entries)
            throws Exception {
        AbstractStreamOperator<?> operator = harness.getOperator();
        operator.setCurrentKey(key);
        operator.getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>(stateName, keyType, valueType))
                .putAll(entries);
    }

    private static <K, V> ValueState<V> state(
            AbstractStreamOperatorTestHarness<?> harness, K key, String stateName, Class<V> type) throws Exception {
        AbstractStreamOperator<?> operator = harness.getOperator();
        operator.setCurrentKey(key);
        // The backend hands out the state the function registered under this name.
        return operator.getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(stateName, type));
    }
}
