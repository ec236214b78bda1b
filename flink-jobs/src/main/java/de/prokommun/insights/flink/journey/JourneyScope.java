package de.prokommun.insights.flink.journey;

/**
 * A journey scope's name taken apart, in this one place: the person's first visit ("first"), a year ("y2026"), a whole
 * month ("m202603") or one family of a month's rows ("m202603:flow", family null for the whole month). The names are
 * built by {@link Periods} and are the keys of the ledger's emitted rows.
 */
record JourneyScope(Kind kind, int period, String family) {
    enum Kind { FIRST, YEAR, MONTH }

    static JourneyScope of(String name) {
        if (Periods.FIRST.equals(name)) return new JourneyScope(Kind.FIRST, 0, null);
        try {
            if (name.startsWith("y")) return new JourneyScope(Kind.YEAR, Integer.parseInt(name.substring(1)), null);
            if (name.startsWith("m")) {
                int colon = name.indexOf(':');
                int month = Integer.parseInt(name.substring(1, colon < 0 ? name.length() : colon));
                return new JourneyScope(Kind.MONTH, month, colon < 0 ? null : name.substring(colon + 1));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown journey scope: " + name, e);
        }
        throw new IllegalArgumentException("unknown journey scope: " + name);
    }

    /** Whether this is a month scope of one family, or of every family ({@code family} null) of the month. */
    boolean isMonthOf(String f) {
        return kind == Kind.MONTH && (family == null || family.equals(f));
    }
}
