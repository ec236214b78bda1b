package de.prokommun.insights.query.publication;

/**
 * Which published figure: {@code buyers} of a category, {@code customers} of a participant or {@code stillActive}
 * buyers of a category, in a period ("2025" or "2025-03").
 */
public record PurchaseFigureKey(String measure, String subject, String period) {

    public static PurchaseFigureKey buyers(String category, String period) {
        return new PurchaseFigureKey(PurchaseDomain.BUYERS, category, period);
    }

    public static PurchaseFigureKey customers(String participant, String period) {
        return new PurchaseFigureKey(PurchaseDomain.CUSTOMERS, participant, period);
    }

    public static PurchaseFigureKey stillActive(String category, String year) {
        return new PurchaseFigureKey(PurchaseDomain.STILL_ACTIVE, category, year);
    }

    /** The name of the figure's own noise stream (one per figure). */
    String stream() {
        return measure + ":" + subject + ":" + period;
    }
}
