package de.prokommun.insights.validation;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The one text rule of the write path (issue 14), applied identically by ingestion, the resident API and the
 * importer, so that whatever one of them accepts the others accept too (a receipt accepted at ingestion can be
 * deleted by its resident):
 * <ul>
 *   <li>bodies are UTF-8 only, decoded strictly ({@link #decodeUtf8}): an overlong sequence such as
 *       {@code C0 AF}, an encoded surrogate or a truncated sequence is an error, never a replacement character;
 *       a declared charset other than UTF-8 is refused ({@link #unsupportedCharset});</li>
 *   <li>no value holds a lone surrogate (a JSON escape {@code \ud800} decodes to one), a control character
 *       (NUL, ESC, DEL, C1), a format character (bidi embeddings and overrides U+202A–202E, isolates
 *       U+2066–2069, marks U+200E/200F, zero-width U+200B–200D, U+FEFF, …), a Unicode non-character, or a
 *       line break (U+2028/2029 too); free text ({@link Kind#FREE_TEXT}) alone may hold line breaks and tabs;</li>
 *   <li>values are stored in Unicode normalisation form C ({@link Checked#value()}), so "é" typed decomposed
 *       and precomposed is one receipt, one product group;</li>
 *   <li>{@link #looksLikeEmail} treats every compatibility form of {@code @} (full-width U+FF20, small U+FE6B,
 *       …) as {@code @}: the "never an e-mail address" check cannot be passed by a look-alike.</li>
 * </ul>
 */
public final class StrictText {
    private StrictText() {}

    /** What a value is: identifiers (references, receipts, product groups, interests) allow no line break. */
    public enum Kind { IDENTIFIER, FREE_TEXT }

    /** A checked value: either the NFC-normalised value or the problem (phrased to follow the field's name). */
    public record Checked(String value, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /** The body is not valid UTF-8; the message names the byte offset. */
    public static final class MalformedUtf8 extends Exception {
        private final long offset;

        MalformedUtf8(String message, long offset) {
            super(message);
            this.offset = offset;
        }

        public long offset() {
            return offset;
        }
    }

    /**
     * Decodes the bytes as UTF-8 with errors reported, not replaced (Jackson and Vert.x would turn {@code C0 AF}
     * into {@code /} or U+FFFD silently). A leading byte-order mark is an error too: UTF-8 needs none.
     */
    public static String decodeUtf8(byte[] bytes) throws MalformedUtf8 {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out;
        try {
            out = decoder.decode(in);
        } catch (MalformedInputException e) {
            throw malformed(bytes, in.position(), e.getInputLength());
        } catch (UnmappableCharacterException e) {
            throw malformed(bytes, in.position(), e.getInputLength());
        } catch (CharacterCodingException e) {
            throw new MalformedUtf8("the body is not valid UTF-8: " + e.getMessage(), in.position());
        }
        if (out.length() > 0 && out.charAt(0) == '\uFEFF') {
            throw new MalformedUtf8("the body starts with a byte-order mark; send UTF-8 without one", 0);
        }
        return out.toString();
    }

    /** decode() leaves the buffer's position at the start of the bad sequence. */
    private static MalformedUtf8 malformed(byte[] bytes, int at, int length) {
        return new MalformedUtf8("the body is not valid UTF-8: invalid byte sequence " + hex(bytes, at, Math.max(1, length))
                + " at byte offset " + at + " (bytes there: " + hex(bytes, at, 4) + ")", at);
    }

    /**
     * The charset a Content-Type header declares if it is not UTF-8 (e.g. "UTF-16", "ISO-8859-1"), else null
     * (no charset parameter means UTF-8, as RFC 8259 prescribes for JSON).
     */
    public static String unsupportedCharset(String contentType) {
        if (contentType == null) return null;
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("charset")) continue;
            String charset = p.substring(eq + 1).trim();
            if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
                charset = charset.substring(1, charset.length() - 1);
            }
            String normal = charset.toLowerCase(Locale.ROOT);
            if (!normal.equals("utf-8") && !normal.equals("utf8")) return printable(charset);
        }
        return null;
    }

    /** Checks one value and returns it in NFC, or the first problem found. */
    public static Checked check(String value, Kind kind) {
        for (int i = 0; i < value.length(); ) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = value.codePointAt(i);
                if (isNonCharacter(cp)) return bad(cp, i, "a Unicode non-character");
                i += 2;
                continue;
            }
            if (Character.isSurrogate(c)) return bad(c, i, "a lone surrogate (not a character; invalid UTF-16/UTF-8)");
            String problem = problem(c, kind);
            if (problem != null) return bad(c, i, problem);
            i++;
        }
        return new Checked(Normalizer.normalize(value, Normalizer.Form.NFC), null);
    }

    /** Like {@link #check} but throwing, for callers that validate single values (e.g. a path parameter). */
    public static String require(String field, String value, Kind kind) {
        Checked checked = check(value, kind);
        if (!checked.ok()) throw new IllegalArgumentException(field + " " + checked.problem());
        return checked.value();
    }

    /**
     * Whether the value contains {@code @} or anything that folds to it under compatibility normalisation
     * (U+FF20 full-width, U+FE6B small commercial at): such a value may be an e-mail address.
     */
    public static boolean looksLikeEmail(String value) {
        if (value.indexOf('@') >= 0) return true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0x7f && Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC).indexOf('@') >= 0) return true;
        }
        return false;
    }

    private static String problem(char c, Kind kind) {
        if (c == '\n' || c == '\r' || c == '\t') {
            return kind == Kind.FREE_TEXT ? null : "must not contain a line break or tab (U+" + code(c) + ")";
        }
        if (isNonCharacter(c)) return "must not contain a Unicode non-character (U+" + code(c) + ")";
        switch (Character.getType(c)) {
            case Character.CONTROL:
                return "must not contain control characters (U+" + code(c) + ")";
            case Character.FORMAT:
                return "must not contain invisible format characters such as bidi overrides or zero-width"
                        + " characters (U+" + code(c) + ")";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
                return kind == Kind.FREE_TEXT ? null : "must not contain a line break (U+" + code(c) + ")";
            default:
                return null;
        }
    }

    private static Checked bad(int codePoint, int index, String problem) {
        String p = problem.startsWith("must") ? problem : "must not contain " + problem + " (U+" + code(codePoint) + ")";
        return new Checked(null, p + " at character " + index);
    }

    private static boolean isNonCharacter(int cp) {
        return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    private static String code(int cp) {
        return String.format(Locale.ROOT, "%04X", cp);
    }

    private static String hex(byte[] bytes, int from, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < Math.min(bytes.length, from + length); i++) {
            if (b.length() > 0) b.append(' ');
            b.append(String.format(Locale.ROOT, "%02X", bytes[i] & 0xff));
        }
        return b.toString();
    }

    private static String printable(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
