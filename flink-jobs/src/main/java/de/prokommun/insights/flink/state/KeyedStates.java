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
        return new KeyedStates(context, count);
    }

    public StateAccessCount count() {
        return count;
    }

    public MetricGroup metrics() {
        return context.getMetricGroup();
    }

    public <K, V> MapState<K, V> map(String name, TypeInformation<K> keys, TypeInformation<V> values) {
        return new CountedMap<>(context.getMapState(new MapStateDescriptor<>(name, keys, values)), count);
    }

    public <T> ValueState<T> value(String name, TypeInformation<T> type) {
        return new CountedValue<>(context.getState(new ValueStateDescriptor<>(name, type)), count);
    }

    public <T> ListState<T> list(String name, TypeInformation<T> type) {
        return new CountedList<>(context.getListState(new ListStateDescriptor<>(name, type)), count);
    }

    private static <T> Iterable<T> counted(Iterable<T> elements, StateAccessCount count) {
        if (elements == null) return null;
        return () -> {
            Iterator<T> it = elements.iterator();
            return new Iterator<>() {
                @Override public boolean hasNext() { return it.hasNext(); }
                @Override public T next() { count.read(); return it.next(); }
                @Override public void remove() { count.write(); it.remove(); }
            };
        };
    }

    private record CountedValue<T>(ValueState<T> state, StateAccessCount count) implements ValueState<T> {
        @Override public T value() throws java.io.IOException { count.read(); return state.value(); }
        @Override public void update(T value) throws java.io.IOException { count.write(); state.update(value); }
        @Override public void clear() { count.write(); state.clear(); }
    }

    private record CountedList<T>(ListState<T> state, StateAccessCount count) implements ListState<T> {
        @Override public Iterable<T> get() throws Exception { return counted(state.get(), count); }
        @Override public void add(T value) throws Exception { count.write(); state.add(value); }
        @Override public void update(List<T> values) throws Exception { count.write(); state.update(values); }
        @Override public void addAll(List<T> values) throws Exception { count.write(); state.addAll(values); }
        @Override public void clear() { count.write(); state.clear(); }
    }

    private record CountedMap<K, V>(MapState<K, V> state, StateAccessCount count) implements MapState<K, V> {
        @Override public V get(K key) throws Exception { count.read(); return state.get(key); }
        @Override public void put(K key, V value) throws Exception { count.write(); state.put(key, value); }
        @Override public void putAll(Map<K, V> map) throws Exception { count.write(); state.putAll(map); }
        @Override public void remove(K key) throws Exception { count.write(); state.remove(key); }
        @Override public boolean contains(K key) throws Exception { count.read(); return state.contains(key); }
        @Override public Iterable<Map.Entry<K, V>> entries() throws Exception { return counted(state.entries(), count); }
        @Override public Iterable<K> keys() throws Exception { return counted(state.keys(), count); }
        @Override public Iterable<V> values() throws Exception { return counted(state.values(), count); }
        @Override public Iterator<Map.Entry<K, V>> iterator() throws Exception {
            Iterator<Map.Entry<K, V>> it = state.iterator();
            return counted(() -> it, count).iterator();
        }
        @Override public boolean isEmpty() throws Exception { count.read(); return state.isEmpty(); }
        @Override public void clear() { count.write(); state.clear(); }
    }
}
