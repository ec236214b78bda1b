package de.prokommun.insights.simulator.emit;

/** Minimal JSON writing with a fixed field order, so identical events render to identical bytes. */
public final class Json {

    private final StringBuilder sb = new StringBuilder(128);
    private boolean first = true;

    private Json() {
        sb.append('{');
    }

    public static Json object() {
        return new Json();
    }

    public Json field(String name, String value) {
        if (value == null) return this;
        name(name);
        string(sb, value);
        return this;
    }

    public Json field(String name, long value) {
        name(name);
        sb.append(value);
        return this;
    }

    public Json field(String name, boolean value) {
        name(name);
        sb.append(value);
        return this;
    }

    public Json fieldRaw(String name, String json) {
        name(name);
        sb.append(json);
        return this;
    }

    public Json strings(String name, Iterable<String> values) {
        name(name);
        sb.append('[');
        boolean f = true;
        for (String v : values) {
            if (!f) sb.append(',');
            string(sb, v);
            f = false;
        }
        sb.append(']');
        return this;
    }

    public String end() {
        return sb.append('}').toString();
    }

    private void name(String name) {
        if (!first) sb.append(',');
        first = false;
        string(sb, name);
        sb.append(':');
    }

    public static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
