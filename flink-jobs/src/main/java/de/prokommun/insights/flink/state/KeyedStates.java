package de.prokommun.insights.flink.state;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.MetricGroup;

/**
 * Where an operator and its ledgers get their keyed state: the runtime context's state, with every access counted
 * in one {@link StateAccessCount}.
 */
public final class KeyedStates {
    private final RuntimeContext context;
    private final StateAccessCount count;

    private KeyedStates(RuntimeContext context, StateAccessCount count) {
        this.context = context;
        this.count = count;
    }

    /** The states of the operator behind {@code context}; registers the count as its metrics. */
    public static KeyedStates of(RuntimeContext context) {
        StateAccessCount count = new StateAccessCount();
        context.getMetricGroup().gauge("stateReads", count::reads);
        context.getMetricGroup().gauge("stateWrites", count::writes);
        context.getMetricGroup().gauge("stateBytesRead", count::bytesRead);
        context.getMetricGroup().gauge("stateBytesWritten", count::bytesWritten);
        return new KeyedStates(context, count);
    }

    public StateAccessCount count() {
        return count;
    }

    public MetricGroup metrics() {
        return context.getMetricGroup();
    }

    public <K, V> MapState<K, V> map(String name, TypeInformation<K> keys, TypeInformation<V> values) {
        MapStateDescriptor<K, V> descriptor = new MapStateDescriptor<>(name, keys, values);
        MapState<K, V> state = context.getMapState(descriptor); // initialises the descriptor's serializers
        return new CountedMap<>(name, state, count, new SerializedSize<>(descriptor.getKeySerializer()),
                new SerializedSize<>(descriptor.getValueSerializer()));
    }

    /** A map whose values have a hand-written serializer (package {@code serialize}). */
    public <K, V> MapState<K, V> map(String name, TypeSerializer<K> keys, TypeSerializer<V> values) {
        MapStateDescriptor<K, V> descriptor = new MapStateDescriptor<>(name, keys, values);
        MapState<K, V> state = context.getMapState(descriptor);
        return new CountedMap<>(name, state, count, new SerializedSize<>(descriptor.getKeySerializer()),
                new SerializedSize<>(descriptor.getValueSerializer()));
    }

    public <T> ValueState<T> value(String name, TypeInformation<T> type) {
        return value(new ValueStateDescriptor<>(name, type));
    }

    /** A value with a hand-written serializer (package {@code serialize}). */
    public <T> ValueState<T> value(String name, TypeSerializer<T> serializer) {
        return value(new ValueStateDescriptor<>(name, serializer));
    }

    private <T> ValueState<T> value(ValueStateDescriptor<T> descriptor) {
        ValueState<T> state = context.getState(descriptor); // initialises the descriptor's serializer
        return new CountedValue<>(descriptor.getName(), state, count, new SerializedSize<>(descriptor.getSerializer()));
    }

    public <T> ListState<T> list(String name, TypeInformation<T> type) {
        return list(new ListStateDescriptor<>(name, type));
    }

    /** A list whose elements have a hand-written serializer (package {@code serialize}). */
    public <T> ListState<T> list(String name, TypeSerializer<T> elements) {
        return list(new ListStateDescriptor<>(name, elements));
    }

    private <T> ListState<T> list(ListStateDescriptor<T> descriptor) {
        String name = descriptor.getName();
        ListState<T> state = context.getListState(descriptor);
        return new CountedList<>(name, state, count, new SerializedSize<>(descriptor.getElementSerializer()));
    }

    /** Counts one entry read per element, and its size (as measured by {@code size}) if bytes are measured. */
    private static <T> Iterable<T> counted(Iterable<T> elements, StateAccessCount count, String name,
                                           SerializedSize.Of<T> size) {
        if (elements == null) return null;
        return () -> {
            Iterator<T> it = elements.iterator();
            return new Iterator<>() {
                @Override public boolean hasNext() { return it.hasNext(); }
                @Override public T next() {
                    count.read();
                    T element = it.next();
                    if (count.measuringBytes()) count.readBytes(name, size.of(element));
                    return element;
                }
                @Override public void remove() { count.write(); it.remove(); }
            };
        };
    }

    private record CountedValue<T>(String name, ValueState<T> state, StateAccessCount count, SerializedSize<T> size)
            implements ValueState<T> {
        @Override public T value() throws java.io.IOException {
            count.read();
            T value = state.value();
            if (count.measuringBytes()) count.readBytes(name, size.of(value));
            return value;
        }
        @Override public void update(T value) throws java.io.IOException {
            count.write();
            if (count.measuringBytes()) count.wroteBytes(name, size.of(value));
            state.update(value);
        }
        @Override public void clear() { count.write(); state.clear(); }
    }

    private record CountedList<T>(String name, ListState<T> state, StateAccessCount count, SerializedSize<T> size)
            implements ListState<T> {
        @Override public Iterable<T> get() throws Exception { return counted(state.get(), count, name, size::of); }
        @Override public void add(T value) throws Exception {
            count.write();
            if (count.measuringBytes()) count.wroteBytes(name, size.of(value));
            state.add(value);
        }
        @Override public void update(List<T> values) throws Exception {
            count.write();
            if (count.measuringBytes()) for (T v : values) count.wroteBytes(name, size.of(v));
            state.update(values);
        }
        @Override public void addAll(List<T> values) throws Exception {
            count.write();
            if (count.measuringBytes()) for (T v : values) count.wroteBytes(name, size.of(v));
            state.addAll(values);
        }
        @Override public void clear() { count.write(); state.clear(); }
    }

    private record CountedMap<K, V>(String name, MapState<K, V> state, StateAccessCount count, SerializedSize<K> keySize,
                                    SerializedSize<V> valueSize) implements MapState<K, V> {
        @Override public V get(K key) throws Exception {
            count.read();
            V value = state.get(key);
            if (count.measuringBytes()) count.readBytes(name, keySize.of(key) + valueSize.of(value));
            return value;
        }
        @Override public void put(K key, V value) throws Exception {
            count.write();
            if (count.measuringBytes()) count.wroteBytes(name, keySize.of(key) + valueSize.of(value));
            state.put(key, value);
        }
        @Override public void putAll(Map<K, V> map) throws Exception {
            count.write();
            if (count.measuringBytes()) map.forEach((k, v) -> count.wroteBytes(name, keySize.of(k) + valueSize.of(v)));
            state.putAll(map);
        }
        @Override public void remove(K key) throws Exception {
            count.write();
            if (count.measuringBytes()) count.wroteBytes(name, keySize.of(key));
            state.remove(key);
        }
        @Override public boolean contains(K key) throws Exception {
            count.read();
            if (count.measuringBytes()) count.readBytes(name, keySize.of(key));
            return state.contains(key);
        }
        @Override public Iterable<Map.Entry<K, V>> entries() throws Exception {
            return counted(state.entries(), count, name, this::sizeOf);
        }
        @Override public Iterable<K> keys() throws Exception { return counted(state.keys(), count, name, keySize::of); }
        @Override public Iterable<V> values() throws Exception {
            // RocksDB reads key and value of every entry to iterate values
            return counted(state.values(), count, name, valueSize::of);
        }
        @Override public Iterator<Map.Entry<K, V>> iterator() throws Exception {
            Iterator<Map.Entry<K, V>> it = state.iterator();
            return counted(() -> it, count, name, this::sizeOf).iterator();
        }
        @Override public boolean isEmpty() throws Exception { count.read(); return state.isEmpty(); }
        @Override public void clear() { count.write(); state.clear(); }

        private long sizeOf(Map.Entry<K, V> e) {
            return keySize.of(e.getKey()) + valueSize.of(e.getValue());
        }
    }
}
