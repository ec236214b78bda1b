package de.prokommun.insights.bench.accuracy;

import java.util.List;
import java.util.Locale;

/**
 * The trade-off as an SVG written in plain Java (no plotting library on the classpath): one panel per size class
 * with a goal, publications per month on the x axis, p95 relative error on a logarithmic y axis, one line per
 * cap ε, and the goal as a dashed line. Logarithmic because the error spans two orders of magnitude between
 * ε = 1 at 8 publications and ε = 8 at one.
 */
public final class TradeoffPlot {

    private static final String[] COLOURS = {"#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b"};
    private static final int PANEL_W = 360, PANEL_H = 260, LEFT = 60, TOP = 50, GAP = 70, BOTTOM = 60;
    private static final double Y_MIN = 0.1, Y_MAX = 100;

    private TradeoffPlot() {}

    public static String svg(List<Tradeoff> points, List<Double> epsilons, List<Integer> perMonth, List<SizeClass> panels) {
        int width = LEFT + panels.size() * (PANEL_W + GAP);
        int height = TOP + PANEL_H + BOTTOM + 30;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(LEFT, 20, "p95 relative error of published audience sizes, Musterstadt, 200,000 residents "
                + "(bench/run accuracy)", "start", 14));
        for (int p = 0; p < panels.size(); p++) {
            int x0 = LEFT + p * (PANEL_W + GAP);
            panel(s, x0, points, epsilons, perMonth, panels.get(p));
        }
        // Legend under the panels.
        int ly = TOP + PANEL_H + 50;
        for (int e = 0; e < epsilons.size(); e++) {
            int lx = LEFT + e * 110;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    lx, ly, lx + 24, ly, colour(e)));
            s.append(text(lx + 30, ly + 4, "cap ε = " + number(epsilons.get(e)), "start", 12));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\" stroke-dasharray=\"5,4\"/>%n",
                LEFT + epsilons.size() * 110, ly, LEFT + epsilons.size() * 110 + 24, ly));
        s.append(text(LEFT + epsilons.size() * 110 + 30, ly + 4, "goal (p95)", "start", 12));
        return s.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder s, int x0, List<Tradeoff> points, List<Double> epsilons, List<Integer> perMonth,
                              SizeClass sizeClass) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                x0, TOP, PANEL_W, PANEL_H));
        s.append(text(x0 + PANEL_W / 2, TOP - 8, "audiences " + sizeClass.label(), "middle", 13));
        for (double tick : new double[] {0.1, 0.3, 1, 3, 10, 30, 100}) {
            double y = y(tick);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    x0, y, x0 + PANEL_W, y));
            s.append(text(x0 - 6, (int) y + 4, number(tick) + " %", "end", 11));
        }
        for (int i = 0; i < perMonth.size(); i++) {
            s.append(text((int) x(x0, i, perMonth.size()), TOP + PANEL_H + 16, Integer.toString(perMonth.get(i)), "middle", 11));
        }
        s.append(text(x0 + PANEL_W / 2, TOP + PANEL_H + 32, "publications per month", "middle", 11));
        if (sizeClass.p95GoalPercent() != null) {
            double gy = y(sizeClass.p95GoalPercent());
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"5,4\"/>%n",
                    x0, gy, x0 + PANEL_W, gy));
        }
        for (int e = 0; e < epsilons.size(); e++) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < perMonth.size(); i++) {
                Double v = value(points, epsilons.get(e), perMonth.get(i), sizeClass);
                if (v == null || v.isNaN()) continue;
                double px = x(x0, i, perMonth.size());
                double py = y(v);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>ε=%s, %d/month: p95 %.2f %%</title></circle>%n",
                        px, py, colour(e), number(epsilons.get(e)), perMonth.get(i), v));
            }
            if (path.length() > 0) {
                s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path, colour(e)));
            }
        }
    }

    private static Double value(List<Tradeoff> points, double epsilon, int perMonth, SizeClass c) {
        for (Tradeoff t : points) if (t.epsilon() == epsilon && t.perMonth() == perMonth) return t.p95Percent().get(c);
        return null;
    }

    /** Evenly spaced categories (1, 2, 4, 8 are evenly spaced on a log axis anyway). */
    static double x(int x0, int i, int n) {
        return x0 + 30 + i * (PANEL_W - 60.0) / Math.max(1, n - 1);
    }

    /** Logarithmic, clamped to the axis so an off-scale point stays visible at the edge. */
    static double y(double percent) {
        double v = Math.max(Y_MIN, Math.min(Y_MAX, percent));
        double f = (Math.log10(v) - Math.log10(Y_MIN)) / (Math.log10(Y_MAX) - Math.log10(Y_MIN));
        return TOP + PANEL_H - f * PANEL_H;
    }

    private static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    private static String text(int x, int y, String text, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, text.replace("&", "&amp;").replace("<", "&lt;"));
    }

    static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
