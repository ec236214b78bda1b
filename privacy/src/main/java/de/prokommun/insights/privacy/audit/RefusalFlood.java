package de.prokommun.insights.privacy.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds the audit log's growth under a flood of refusals (issue 15): a prober sending the same refused question a
 * million times, or a million different ones, or with a million guessed keys, must not grow the log by a million lines
 * — yet the data protection officer must still see the flood and its size. Per tumbling window of {@link #WINDOW}:
 * <ul>
 *   <li>the first {@link #FULL_REPEATS} refusals of one question (asker, fingerprint, status) are written in full,
 *       further ones are counted;</li>
 *   <li>the first {@link #DISTINCT_PER_ASKER} distinct questions of one asker are written in full, refusals of further
 *       questions are counted per asker;</li>
 *   <li>the first {@link #ASKERS} askers of the window are tracked; refusals of further askers (e.g. a flood of guessed
 *       keys) are counted per city under the asker {@link #MORE_ASKERS}.</li>
 * </ul>
 * What was counted is written when the window has ended — with the next refusal, since nothing else wakes this class
 * — as one entry per question, per asker or per city whose reason begins with {@code ×N more: } ({@link #weight}). So
 * a window writes at most ASKERS × DISTINCT_PER_ASKER × (FULL_REPEATS + 1) + ASKERS + cities entries, whatever the flood.
 * A restart loses the counts of the current window (every question's first refusals are written at once). Pure;
 * {@link #admit} is synchronised (event-loop threads of several verticle instances share one audit). Used by the query
 * service before its audit log and by ingestion before the topic of its refusals (which the query service then writes
 * as they come: they are bounded at their source).
 */
public final class RefusalFlood {
    /** The length of a window (tumbling, from the epoch). */
    public static final Duration WINDOW = Duration.ofMinutes(10);
    /** Identical refusals of one asker written in full per window. */
    public static final int FULL_REPEATS = 3;
    /** Distinct refused questions of one asker written in full per window. */
    public static final int DISTINCT_PER_ASKER = 100;
    /** Askers tracked per window. */
    public static final int ASKERS = 1000;
    /** The asker of the counted refusals of askers beyond {@link #ASKERS}. */
    public static final String MORE_ASKERS = "(more askers)";
    /** The route and fingerprint of a count that stands for several questions. */
    public static final String MANY = "*";

    private static final String COUNTED = "×";
    private static final java.util.regex.Pattern COUNT = java.util.regex.Pattern.compile("×([0-9]{1,19}) more: ");

    /** One asker's window: its questions written in full and how often each was refused beyond them. */
    private static final class Asker {
        final Map<String, Question> questions = new LinkedHashMap<>();
        long otherQuestions;
        RefusalEntry lastOther;
    }

    private static final class Question {
        final RefusalEntry first;
        long refused;

        Question(RefusalEntry first) {
            this.first = first;
        }
    }

    private final Map<String, Asker> askers = new LinkedHashMap<>();
    /** City → refusals of askers beyond the tracked ones, and the last of them. */
    private final Map<String, Long> moreAskers = new LinkedHashMap<>();
    private final Map<String, RefusalEntry> lastOfMoreAskers = new LinkedHashMap<>();
    private long window = Long.MIN_VALUE;

    /** The entries to write for this refusal: itself or nothing, after the counts of an ended window. */
    public synchronized List<RefusalEntry> admit(RefusalEntry refusal) {
        List<RefusalEntry> out = new ArrayList<>();
        long now = windowOf(refusal.at());
        if (now != window) {
            if (window != Long.MIN_VALUE) out.addAll(counts(Instant.ofEpochMilli((window + 1) * WINDOW.toMillis())));
            askers.clear();
            moreAskers.clear();
            lastOfMoreAskers.clear();
            window = now;
        }
        String askerKey = refusal.city() + '\u001f' + refusal.role() + '\u001f' + refusal.askerId();
        Asker asker = askers.get(askerKey);
        if (asker == null) {
            if (askers.size() >= ASKERS) {
                moreAskers.merge(refusal.city(), 1L, Long::sum);
                lastOfMoreAskers.put(refusal.city(), refusal);
                return out;
            }
            asker = new Asker();
            askers.put(askerKey, asker);
        }
        String questionKey = refusal.fingerprint() + '\u001f' + refusal.status();
        Question q = asker.questions.get(questionKey);
        if (q == null) {
            if (asker.questions.size() >= DISTINCT_PER_ASKER) {
                asker.otherQuestions++;
                asker.lastOther = refusal;
                return out;
            }
            q = new Question(refusal);
            asker.questions.put(questionKey, q);
        }
        if (++q.refused <= FULL_REPEATS) out.add(refusal);
        return out;
    }

    /** How many refusals an audited entry stands for: N for a count written by this class, else 1. */
    public static long weight(RefusalEntry entry) {
        java.util.regex.Matcher m = COUNT.matcher(entry.reason());
        if (!m.lookingAt()) return 1;
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    private List<RefusalEntry> counts(Instant end) {
        Instant start = end.minus(WINDOW);
        String span = " refused between " + start + " and " + end;
        List<RefusalEntry> out = new ArrayList<>();
        askers.values().forEach(asker -> {
            for (Question q : asker.questions.values()) {
                long more = q.refused - FULL_REPEATS;
                if (more <= 0) continue;
                RefusalEntry f = q.first;
                out.add(new RefusalEntry(end, f.city(), f.role(), f.askerId(), f.route(), f.status(),
                        COUNTED + more + " more: the same question" + span + " beyond the " + FULL_REPEATS
                                + " written in full (" + f.reason() + ")", f.fingerprint()));
            }
            if (asker.otherQuestions > 0) {
                RefusalEntry l = asker.lastOther;
                out.add(new RefusalEntry(end, l.city(), l.role(), l.askerId(), MANY, l.status(),
                        COUNTED + asker.otherQuestions + " more: refusals of other questions" + span + " beyond the "
                                + DISTINCT_PER_ASKER + " distinct ones written in full (the last: " + l.route() + ", "
                                + l.reason() + ")", MANY));
            }
        });
        moreAskers.forEach((city, n) -> {
            RefusalEntry l = lastOfMoreAskers.get(city);
            out.add(new RefusalEntry(end, city, "", MORE_ASKERS, MANY, l.status(), COUNTED + n + " more: refusals of"
                    + " askers beyond the " + ASKERS + " tracked" + span + " (the last: " + l.askerId() + ", "
                    + l.route() + ")", MANY));
        });
        return out;
    }

    private static long windowOf(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), WINDOW.toMillis());
    }
}
