package de.prokommun.insights.flink.ledger;

import java.util.Arrays;

/**
 * The distinct counts a person has open in one period group (a Flink POJO in ledger state, see
 * {@link DistinctCounts}): keys sorted, each with its {@link OpenDistinct}.
 */
public class OpenDistinctGroup {
    public String[] keys = new String[0];
    public OpenDistinct[] open = new OpenDistinct[0];

    public OpenDistinctGroup() {}

    OpenDistinct find(String key) {
        int at = Arrays.binarySearch(keys, key);
        return at >= 0 ? open[at] : null;
    }

    void put(String key, OpenDistinct value) {
        int at = Arrays.binarySearch(keys, key);
        if (at >= 0) {
            open[at] = value;
            return;
        }
        int insert = -at - 1;
        String[] k = new String[keys.length + 1];
        OpenDistinct[] o = new OpenDistinct[open.length + 1];
        System.arraycopy(keys, 0, k, 0, insert);
        System.arraycopy(open, 0, o, 0, insert);
        k[insert] = key;
        o[insert] = value;
        System.arraycopy(keys, insert, k, insert + 1, keys.length - insert);
        System.arraycopy(open, insert, o, insert + 1, open.length - insert);
        keys = k;
        open = o;
    }

    void remove(String key) {
        int at = Arrays.binarySearch(keys, key);
        if (at < 0) return;
        String[] k = new String[keys.length - 1];
        OpenDistinct[] o = new OpenDistinct[open.length - 1];
        System.arraycopy(keys, 0, k, 0, at);
        System.arraycopy(open, 0, o, 0, at);
        System.arraycopy(keys, at + 1, k, at, keys.length - at - 1);
        System.arraycopy(open, at + 1, o, at, open.length - at - 1);
        keys = k;
        open = o;
    }

    boolean isEmpty() {
        return keys.length == 0;
    }
}
