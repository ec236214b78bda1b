package de.prokommun.insights.simulator.economy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;

/**
 * When people shop: a weekly rhythm (Saturday peak, shops closed on Sundays), a yearly one (Christmas peak,
 * January and summer-holiday dips), closed public holidays, and the gift-giving seasons in which gift
 * vouchers are bought (Christmas, Easter, Mother's Day, Valentine's Day).
 */
public final class Seasonality {
    private Seasonality() {}

    private static final double[] WEEKDAY = {0.92, 0.92, 0.96, 1.0, 1.18, 1.42, 0.45};
    private static final double[] MONTH = {0.80, 0.86, 0.96, 1.0, 1.02, 1.0, 0.90, 0.88, 1.0, 1.02, 1.10, 1.36};
    /** The largest shopping factor, for thinning. */
    public static final double MAX_SHOPPING = 1.42 * 1.36 * 1.25;
    /** The largest gift factor, for thinning. */
    public static final double MAX_GIFT = 10.0;

    /** Relative shopping intensity of a day (1 = an average day). */
    public static double shopping(LocalDate d) {
        if (isClosedHoliday(d)) return 0.05;
        double f = WEEKDAY[d.getDayOfWeek().getValue() - 1] * MONTH[d.getMonthValue() - 1];
        if (d.getMonth() == Month.DECEMBER && d.getDayOfMonth() >= 15 && d.getDayOfMonth() <= 23) f *= 1.25;
        return f;
    }

    public static boolean isClosedHoliday(LocalDate d) {
        MonthDay md = MonthDay.from(d);
        if (md.equals(MonthDay.of(1, 1)) || md.equals(MonthDay.of(12, 25)) || md.equals(MonthDay.of(12, 26))
                || md.equals(MonthDay.of(5, 1)) || md.equals(MonthDay.of(10, 3))) return true;
        LocalDate easter = easterSunday(d.getYear());
        return d.equals(easter.minusDays(2)) || d.equals(easter.plusDays(1)) || d.equals(easter.plusDays(39))
                || d.equals(easter.plusDays(50));
    }

    /** Relative intensity of buying gift vouchers (1 = outside the gift seasons). */
    public static double gifts(LocalDate d) {
        if (d.getMonth() == Month.DECEMBER && d.getDayOfMonth() <= 23) return MAX_GIFT;
        LocalDate easter = easterSunday(d.getYear());
        if (!d.isBefore(easter.minusDays(14)) && d.isBefore(easter)) return 4;
        LocalDate mothersDay = LocalDate.of(d.getYear(), 5, 1).with(java.time.temporal.TemporalAdjusters.dayOfWeekInMonth(2, DayOfWeek.SUNDAY));
        if (!d.isBefore(mothersDay.minusDays(10)) && d.isBefore(mothersDay)) return 4;
        if (d.getMonth() == Month.FEBRUARY && d.getDayOfMonth() >= 7 && d.getDayOfMonth() <= 14) return 3;
        return 1;
    }

    /** Gregorian Easter Sunday (anonymous Gregorian algorithm). */
    public static LocalDate easterSunday(int year) {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }
}
