package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.ledger.LedgerRow;
import de.prokommun.insights.flink.ledger.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * A journey row as text, so that the ledger keeps what it emitted as strings (cheap to store and compare) and
 * rebuilds a row only to negate it. The content holds every field but the segment, the segment is text of its own;
 * null is a value of its own ({@link #NULL}), so decoding gives back exactly the encoded row.
 */
final class RowText {
    private RowText() {}

    static final char FIELD = '\u001f';
    private static final char LIST = '\u001d';
    private static final String NULL = "\u0000";
    /** Between a row's identity and its content in a key. */
    static final char KEY = '\u001e';

    /** Everything of the row but its segment. */
    static String contentOf(LedgerRow r) {
        StringBuilder b = new StringBuilder(96);
        text(b, r.measure).append(FIELD).append(r.day).append(FIELD).append(r.month).append(FIELD).append(r.year);
        text(b.append(FIELD), r.participant);
        text(b.append(FIELD), r.category);
        text(b.append(FIELD), r.counterpart);
        b.append(FIELD).append(r.weekday).append(FIELD).append(r.hour == null ? NULL : String.valueOf(r.hour));
        text(b.append(FIELD), r.place);
        b.append(FIELD).append(r.lagBucket).append(FIELD).append(r.count).append(FIELD).append(r.quantity)
                .append(FIELD).append(r.amountCents).append(FIELD).append(r.lagDays).append(FIELD).append(r.eventTime);
        return b.toString();
    }

    static String segmentOf(Segment s) {
        StringBuilder b = new StringBuilder(48);
        text(b, s.ageBand);
        text(b.append(FIELD), s.gender);
        text(b.append(FIELD), s.district);
        text(b.append(FIELD), s.householdType);
        b.append(FIELD);
        if (s.personas == null) b.append(NULL);
        else for (int i = 0; i < s.personas.length; i++) b.append(i == 0 ? "" : String.valueOf(LIST)).append(s.personas[i]);
        return b.toString();
    }

    /** The row of a content (as {@link #contentOf} wrote it) with a segment (as {@link #segmentOf} wrote it). */
    static LedgerRow rowOf(String content, String segment) {
        List<String> f = split(content, FIELD);
        LedgerRow r = new LedgerRow();
        r.measure = value(f.get(0));
        r.day = Integer.parseInt(f.get(1));
        r.month = Integer.parseInt(f.get(2));
        r.year = Integer.parseInt(f.get(3));
        r.participant = value(f.get(4));
        r.category = value(f.get(5));
        r.counterpart = value(f.get(6));
        r.weekday = Integer.parseInt(f.get(7));
        r.hour = NULL.equals(f.get(8)) ? null : Integer.valueOf(f.get(8));
        r.place = value(f.get(9));
        r.lagBucket = Integer.parseInt(f.get(10));
        r.count = Long.parseLong(f.get(11));
        r.quantity = Long.parseLong(f.get(12));
        r.amountCents = Long.parseLong(f.get(13));
        r.lagDays = Long.parseLong(f.get(14));
        r.eventTime = Long.parseLong(f.get(15));
        List<String> s = split(segment, FIELD);
        Segment seg = new Segment();
        seg.ageBand = value(s.get(0));
        seg.gender = value(s.get(1));
        seg.district = value(s.get(2));
        seg.householdType = value(s.get(3));
        String personas = s.get(4);
        seg.personas = NULL.equals(personas) ? null
                : personas.isEmpty() ? new String[0] : split(personas, LIST).toArray(new String[0]);
        r.segment = seg;
        return r;
    }

    private static StringBuilder text(StringBuilder b, String value) {
        return b.append(value == null ? NULL : escape(value));
    }

    private static String value(String text) {
        return NULL.equals(text) ? null : unescape(text);
    }

    /** Separators and the escape character inside a value are escaped, so a value never splits a text. */
    static String escape(String value) {
        boolean plain = true;
        for (int i = 0; i < value.length() && plain; i++) plain = !special(value.charAt(i));
        if (plain) return value;
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (special(c)) b.append('\\').append((char) ('a' + (c == '\\' ? 4 : c == '\u0000' ? 3 : c - '\u001d')));
            else b.append(c);
        }
        return b.toString();
    }

    private static String unescape(String text) {
        if (text.indexOf('\\') < 0) return text;
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            int code = text.charAt(++i) - 'a';
            b.append(code == 4 ? '\\' : code == 3 ? '\u0000' : (char) ('\u001d' + code));
        }
        return b.toString();
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\u0000' || c == LIST || c == '\u001e' || c == FIELD;
    }

    /** The content part of a row key (identity, then {@link #KEY}, then the content). */
    static String contentOfKey(String key) {
        return key.substring(key.indexOf(KEY) + 1);
    }

    private static List<String> split(String s, char separator) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == separator) {
                parts.add(s.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(s.substring(from));
        return parts;
    }
}
