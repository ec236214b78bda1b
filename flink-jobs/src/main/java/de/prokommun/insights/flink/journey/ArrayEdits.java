package de.prokommun.insights.flink.journey;

import java.util.Arrays;

/** Copies of state arrays with one element inserted or removed (state values are never changed in place). */
final class ArrayEdits {
    private ArrayEdits() {}

    static int[] insertAt(int[] a, int at, int value) {
        int[] out = new int[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }

    static String[] insertAt(String[] a, int at, String value) {
        String[] out = new String[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }

    static int[] removeAt(int[] a, int at) {
        int[] out = Arrays.copyOf(a, a.length - 1);
        System.arraycopy(a, at + 1, out, at, a.length - at - 1);
        return out;
    }

    static String[] removeAt(String[] a, int at) {
        String[] out = Arrays.copyOf(a, a.length - 1);
        System.arraycopy(a, at + 1, out, at, a.length - at - 1);
        return out;
    }
}
