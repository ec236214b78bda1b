package de.prokommun.insights.validation;

/**
 * Request paths the services cannot route: a percent sign not followed by two hexadecimal digits ("%zz", a trailing
 * "%"). Vert.x fails on such a path while matching routes, outside every handler, and logs an ERROR with a stack
 * trace for what is only a client's mistake; the services check the path first and answer 400 naming it.
 */
public final class RequestPath {
    private RequestPath() {}

    /** Why the raw (still encoded) path cannot be decoded, or null when it can. */
    public static String undecodable(String rawPath) {
        if (rawPath == null) return null;
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (i + 2 >= rawPath.length() || !isHex(rawPath.charAt(i + 1)) || !isHex(rawPath.charAt(i + 2))) {
                String escape = rawPath.substring(i, Math.min(rawPath.length(), i + 3));
                return "the path has an invalid percent-escape '" + escape + "' at position " + i
                        + " (a '%' must be followed by two hexadecimal digits)";
            }
        }
        return null;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
