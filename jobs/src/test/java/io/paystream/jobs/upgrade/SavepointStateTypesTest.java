package io.paystream.jobs.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorBackendSerializationProxy;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every state the jobs really wrote, as the savepoint fixtures record it (not a list kept by hand):
 * each serializer, down to the fields of every POJO, is Flink's own (POJO, enum, basic, array, TTL
 * wrapper...), never Kryo, so every state type can evolve; and each paystream type in the state is
 * serialized as a Flink POJO.
 */
class SavepointStateTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"payments", "stock-ledger", "order-search"})
    void everyStateInTheFixtureIsSerializedByFlinksOwnSerializersWithPaystreamTypesAsPojos(String job)
            throws Exception {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(
                FixtureJobs.FIXTURES.resolve(job).toUri().toString());
        ClassLoader cl = getClass().getClassLoader();
        Map<String, List<TypeSerializerSnapshot<?>>> byState = new TreeMap<>();
        for (OperatorState operator : metadata.getOperatorStates()) {
            for (OperatorSubtaskState subtask : operator.getStates()) {
                for (KeyedStateHandle h : subtask.getManagedKeyedState()) {
                    try (InputStream in = ((StreamStateHandle) h).openInputStream()) {
                        KeyedBackendSerializationProxy<?> proxy = new KeyedBackendSerializationProxy<>(cl);
                        proxy.read(new DataInputViewStreamWrapper(in));
                        add(byState, "keyed", proxy.getStateMetaInfoSnapshots());
                    }
                }
                for (OperatorStateHandle h : subtask.getManagedOperatorState()) {
                    try (InputStream in = h.openInputStream()) {
                        OperatorBackendSerializationProxy proxy = new OperatorBackendSerializationProxy(cl);
                        proxy.read(new DataInputViewStreamWrapper(in));
                        add(byState, "operator", proxy.getOperatorStateMetaInfoSnapshots());
                        add(byState, "broadcast", proxy.getBroadcastStateMetaInfoSnapshots());
                    }
                }
            }
        }
        assertThat(byState).as("states in the " + job + " fixture").isNotEmpty();

        List<String> kryo = new ArrayList<>();
        TreeSet<String> pojos = new TreeSet<>();
        TreeSet<String> paystreamTypes = new TreeSet<>();
        for (Map.Entry<String, List<TypeSerializerSnapshot<?>>> e : byState.entrySet()) {
            for (TypeSerializerSnapshot<?> s : e.getValue()) {
                walk(e.getKey(), s.restoreSerializer(), kryo, pojos, paystreamTypes);
            }
        }
        System.out.println(job + " fixture: states " + byState.keySet() + "; POJOs " + pojos);
        assertThat(kryo).as("state serialized by Kryo (cannot evolve)").isEmpty();
        assertThat(pojos)
                .as("every paystream type in the state is a Flink POJO")
                .containsAll(paystreamTypes);
        assertThat(pojos).as("POJOs in the " + job + " state").isNotEmpty();
    }

    private static void add(
            Map<String, List<TypeSerializerSnapshot<?>>> byState, String kind, List<StateMetaInfoSnapshot> infos) {
        for (StateMetaInfoSnapshot info : infos) {
            byState.computeIfAbsent(kind + " '" + info.getName() + "'", k -> new ArrayList<>())
                    .addAll(info.getSerializerSnapshotsImmutable().values());
        }
    }

    /** The serializers of a POJO's fields (not public in Flink; read for this check only). */
    private static TypeSerializer<?>[] fieldSerializers(PojoSerializer<?> p) {
        try {
            Field f = PojoSerializer.class.getDeclaredField("fieldSerializers");
            f.setAccessible(true);
            return (TypeSerializer<?>[]) f.get(p);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("PojoSerializer changed: update this check", e);
        }
    }

    private static void walk(
            String state,
            TypeSerializer<?> s,
            List<String> kryo,
            TreeSet<String> pojos,
            TreeSet<String> paystreamTypes) {
        if (s instanceof KryoSerializer<?> k) {
            kryo.add(state + ": " + k);
            return;
        }
        if (s instanceof PojoSerializer<?> p) {
            Class<?> type = p.createInstance().getClass();
            pojos.add(type.getName());
            for (TypeSerializer<?> field : fieldSerializers(p)) {
                walk(state + " > " + type.getSimpleName(), field, kryo, pojos, paystreamTypes);
            }
            return;
        }
        Object sample = null;
        try {
            sample = s.createInstance();
        } catch (RuntimeException noInstance) {
            // some serializers (enums, arrays of unknown length) have no sample instance: fine
        }
        if (sample != null
                && !(sample instanceof Enum)
                && sample.getClass().getName().startsWith("io.paystream.")) {
            paystreamTypes.add(sample.getClass().getName()); // would have to be among the POJOs
        }
        if (s.snapshotConfiguration() instanceof CompositeTypeSerializerSnapshot<?, ?> c) {
            for (TypeSerializerSnapshot<?> nested : c.getNestedSerializerSnapshots()) {
                walk(state, nested.restoreSerializer(), kryo, pojos, paystreamTypes);
            }
        }
    }
}
