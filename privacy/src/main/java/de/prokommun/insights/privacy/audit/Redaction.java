package de.prokommun.insights.privacy.audit;

import java.util.regex.Pattern;

/**
 * Removes anything that looks like a pseudonym, key or token (a run of 20 or more letters, digits and
 * {@code _-+/=} that has both letters and digits: hex or base64 HMACs, UUIDs) from text before it is logged.
 * Questions never need such a value, so a hit means something went wrong upstream; it must not reach a log.
 */
public final class Redaction {
    private Redaction() {}

    public static final String MARK = "[redacted]";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_+/-]{20,}={0,2}");
    private static final Pattern HAS_DIGIT = Pattern.compile("\\d");
    private static final Pattern HAS_LETTER = Pattern.compile("[A-Za-z]");

    public static String redact(String text) {
        return TOKEN.matcher(text).replaceAll(m -> {
            String token = m.group();
            boolean secretLike = HAS_DIGIT.matcher(token).find() && HAS_LETTER.matcher(token).find();
            return secretLike ? MARK : java.util.regex.Matcher.quoteReplacement(token);
        });
    }

    public static boolean looksSecret(String text) {
        return !redact(text).equals(text);
    }
}
