package de.prokommun.insights.flink.journey;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows the ledger emitted for one scope and has not negated yet, as text (a Flink POJO of string arrays):
 * the row's key (identity and content, see {@link JourneyRows}) and the segment it was emitted with.
 */
public class EmittedRows {
    public String[] keys;
    public String[] segments;

    public EmittedRows() {}

    static EmittedRows of(Map<String, String> segmentByKey) {
        EmittedRows e = new EmittedRows();
        e.keys = segmentByKey.keySet().toArray(new String[0]);
        e.segments = segmentByKey.values().toArray(new String[0]);
        return e;
    }

    /** Key → segment text, in emission order. */
    Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) map.put(keys[i], segments[i]);
        return map;
    }
}
