package de.prokommun.insights.query.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The open live widgets, one entry per distinct question (same key, same asker, same body), however many
 * browser tabs show it. Each entry remembers the data version it was last asked in and how often its streams
 * want it refreshed: every version, every n-th version (a costly question, e.g. one ε per persona cell), or
 * only on demand. The hub asks the query service at most once per data version and question, and a question
 * whose last answer said the budget is used up is not asked again for {@link #AFTER_EXHAUSTED} versions.
 * When the last stream closes, the answer rests until its refresh is due, so a reload does not ask (and pay)
 * again. Pure; used on one event-loop thread.
 */
final class LiveSubscriptions {

    /** Versions to wait after a "budget used up" answer before the hub asks by itself again. */
    static final int AFTER_EXHAUSTED = 30;
    /** Refresh intervals a stream may ask for, in data versions; 0 = on demand only. */
    static final int MAX_EVERY = 1440;
    /** Versions an on-demand answer rests after its last stream closed. */
    static final int ON_DEMAND_RESTS = 60;

    record Question(String key, String authorization, LiveWidget widget, String body) {}

    static final class Entry {
        final Question question;
        /** How many open streams want a refresh every n versions (n = 0: on demand only). */
        private final Map<Integer, Integer> streamsByEvery = new TreeMap<>();
        long askedInPeriod = Long.MIN_VALUE;
        String lastAnswer;
        boolean exhausted;
        /** The refresh interval of the last stream that closed: how long a resting answer is kept. */
        int restingEvery = 1;

        Entry(Question question) { this.question = question; }

        int subscribers() {
            return streamsByEvery.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** The most frequent refresh any open stream wants (0 when all want it on demand only). */
        int every() {
            return streamsByEvery.keySet().stream().filter(n -> n > 0).findFirst().orElse(0);
        }

        /** True when the hub should ask by itself in {@code period}. */
        boolean dueIn(long period) {
            int every = every();
            if (subscribers() == 0 || every == 0) return false;
            long wait = exhausted ? Math.max(every, AFTER_EXHAUSTED) : every;
            return askedInPeriod == Long.MIN_VALUE || period - askedInPeriod >= wait;
        }

        /** Whether the remembered answer still stands for a new stream in {@code period}. */
        boolean answerStands(long period) {
            if (lastAnswer == null || askedInPeriod == Long.MIN_VALUE) return false;
            int every = every();
            return every == 0 || period - askedInPeriod < every;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** Every subscription adds one stream that wants the question refreshed every {@code every} versions. */
    Entry subscribe(Question q, int every) {
        if (every < 0 || every > MAX_EVERY) throw new IllegalArgumentException("every: " + every + " is outside 0.." + MAX_EVERY);
        Entry e = entries.computeIfAbsent(q.key(), k -> new Entry(q));
        e.streamsByEvery.merge(every, 1, Integer::sum);
        return e;
    }

    Entry subscribe(Question q) {
        return subscribe(q, 1);
    }

    void unsubscribe(String key, int every) {
        Entry e = entries.get(key);
        if (e == null) return;
        int before = e.every();
        e.streamsByEvery.computeIfPresent(every, (n, c) -> c > 1 ? c - 1 : null);
        if (e.subscribers() > 0) return;
        if (e.lastAnswer == null) entries.remove(key);
        else e.restingEvery = before;
    }

    void unsubscribe(String key) {
        unsubscribe(key, 1);
    }

    Entry find(String key) {
        return entries.get(key);
    }

    /**
     * Entries the hub should ask in {@code period}; marks them asked. Forgets resting answers (no open stream)
     * once their refresh would have been due (on-demand answers after {@link #ON_DEMAND_RESTS} versions).
     */
    List<Entry> dueIn(long period) {
        List<Entry> due = new ArrayList<>();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.subscribers() == 0) {
                long rests = e.restingEvery == 0 ? ON_DEMAND_RESTS : e.restingEvery;
                if (e.askedInPeriod == Long.MIN_VALUE || period - e.askedInPeriod >= rests) it.remove();
                continue;
            }
            if (e.dueIn(period)) {
                e.askedInPeriod = period;
                due.add(e);
            }
        }
        return due;
    }

    /**
     * True (and marks it) when a new stream or an on-demand refresh must ask in {@code period}: never twice in
     * one version; for a new stream only when the remembered answer no longer stands.
     */
    static boolean claim(Entry e, long period, boolean onDemand) {
        if (e.askedInPeriod >= period) return false;
        if (!onDemand && e.answerStands(period)) return false;
        e.askedInPeriod = period;
        return true;
    }

    static boolean claim(Entry e, long period) {
        return claim(e, period, false);
    }

    /** Remembers an answer; a 429 (budget used up) slows the entry's own refreshes down. */
    static void answered(Entry e, int status, String answer) {
        e.lastAnswer = answer;
        e.exhausted = status == 429;
    }

    /** Open questions (with at least one stream). */
    int size() {
        return (int) entries.values().stream().filter(e -> e.subscribers() > 0).count();
    }
}
