package de.prokommun.insights.privacy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * How a released value is shown: rounded to a number of significant digits (never more precise than the
 * noise makes sense of) and grouped by the locale ("1.230" in German, "1,230" in English); a suppressed cell
 * reads "weniger als k" / "fewer than k".
 */
public record DisplayRule(int significantDigits, Locale locale) {

    public DisplayRule {
        if (significantDigits < 1 || significantDigits > 6)
            throw new IllegalArgumentException("display.significantDigits must be between 1 and 6: " + significantDigits);
        Checks.notNull(locale, "display.locale");
    }

    /** The value rounded half-up to the significant digits. */
    public long round(long value) {
        if (value == 0) return 0;
        return new BigDecimal(value).round(new java.math.MathContext(significantDigits, RoundingMode.HALF_UP)).longValueExact();
    }

    public String show(long value) {
        return grouped(round(value));
    }

    public String fewerThan(long threshold) {
        String number = grouped(threshold);
        return isGerman() ? "weniger als " + number : "fewer than " + number;
    }

    private boolean isGerman() {
        return "de".equals(locale.getLanguage());
    }

    private String grouped(long value) {
        DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(locale));
        return format.format(value);
    }
}
