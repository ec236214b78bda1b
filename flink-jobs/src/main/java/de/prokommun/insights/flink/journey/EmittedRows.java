package de.prokommun.insights.flink.journey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows the ledger emitted for one scope and has not negated yet, as text (a Flink POJO of arrays): the row's key
 * (identity and content, see {@link JourneyRows}) and the segment it was emitted with. The rows of a scope mostly
 * share one or two segments, so each distinct segment text is kept once ({@link #segmentTexts}) and rows refer to
 * it by index: a scope entry is read and written whole on every change of the scope.
 */
public class EmittedRows {
    public String[] keys;
    /** Per row, the index of its segment in {@link #segmentTexts}. */
    public int[] segmentIndex;
    public String[] segmentTexts;

    public EmittedRows() {}

    static EmittedRows of(Map<String, String> segmentByKey) {
        EmittedRows e = new EmittedRows();
        e.keys = segmentByKey.keySet().toArray(new String[0]);
        e.segmentIndex = new int[e.keys.length];
        List<String> texts = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        int i = 0;
        for (String segment : segmentByKey.values()) {
            Integer at = indexOf.get(segment);
            if (at == null) {
                at = texts.size();
                texts.add(segment);
                indexOf.put(segment, at);
            }
            e.segmentIndex[i++] = at;
        }
        e.segmentTexts = texts.toArray(new String[0]);
        return e;
    }

    /** The segment text row {@code i} was emitted with. */
    String segment(int i) {
        return segmentTexts[segmentIndex[i]];
    }
}
