package de.prokommun.insights.privacy;

/**
 * One released cell: the noisy value (null when suppressed), whether it is suppressed, and the text to show
 * (rounded and grouped, e.g. "1.230", or "weniger als 10").
 */
public record ReleasedCell(String label, Long value, boolean suppressed, String display) {

    /**
     * Post-processing of this released value (free, it reads released values only): the same cell with a smaller
     * value, shown by the asker's display rule — e.g. gift-voucher links scaled down to agree with a released total
     * (issue 15). It can only lower a shown value, never raise it, never show a suppressed one, so nothing but
     * DisclosureControl creates a released value.
     */
    public ReleasedCell lowered(long to, DisplayRule display) {
        if (suppressed || value == null) {
            throw new IllegalStateException(label + ": a suppressed cell has no value to lower");
        }
        if (to < 0 || to > value) {
            throw new IllegalArgumentException(label + ": post-processing may only lower the released value " + value
                    + " to at least 0, not to " + to);
        }
        return new ReleasedCell(label, to, false, display.show(to));
    }
}
