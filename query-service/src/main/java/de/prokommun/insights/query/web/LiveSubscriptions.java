package de.prokommun.insights.query.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open live widgets, one entry per distinct question (same key, same asker, same body), however many
 * browser tabs show it. Each entry remembers the period it was last asked in, so the hub asks the query
 * service at most once per data version and question. Pure; used on one event-loop thread.
 */
final class LiveSubscriptions {

    record Question(String key, String authorization, LiveWidget widget, String body) {}

    static final class Entry {
        final Question question;
        int subscribers;
        long askedInPeriod = Long.MIN_VALUE;
        String lastAnswer;

        Entry(Question question) { this.question = question; }
    }

    private final Map<String, Entry> entries = new HashMap<>();

    Entry subscribe(Question q) {
        Entry e = entries.computeIfAbsent(q.key(), k -> new Entry(q));
        e.subscribers++;
        return e;
    }

    void unsubscribe(String key) {
        Entry e = entries.get(key);
        if (e != null && --e.subscribers <= 0) entries.remove(key);
    }

    /** Entries not yet asked in {@code period}; marks them asked. */
    List<Entry> dueIn(long period) {
        List<Entry> due = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.askedInPeriod < period) {
                e.askedInPeriod = period;
                due.add(e);
            }
        }
        return due;
    }

    /** True (and marks it) when the entry has not been asked in {@code period} yet. */
    static boolean claim(Entry e, long period) {
        if (e.askedInPeriod >= period) return false;
        e.askedInPeriod = period;
        return true;
    }

    int size() { return entries.size(); }
}
