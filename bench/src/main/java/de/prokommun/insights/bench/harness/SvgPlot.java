package de.prokommun.insights.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain SVG line chart of one or more series over a shared x axis, optionally with a horizontal target line per
 * panel, written by the benchmarks next to their results so that the docs show a trend, not only a median.
 * Panels are stacked vertically, each with its own y scale.
 */
public final class SvgPlot {

    /** One line: name, points as {x, y} (y may be NaN for a gap). */
    public record Series(String name, List<double[]> points) {}

    /** One panel: title, unit, its lines, and an optional target (NaN: none). */
    public record Panel(String title, String unit, List<Series> series, double target) {}

    private static final String[] COLOURS = {"#0b5cad", "#c2410c", "#15803d", "#7c3aed"};
    private static final int WIDTH = 820;
    private static final int PANEL_HEIGHT = 180;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 28;
    private static final int BOTTOM = 30;

    private SvgPlot() {}

    public static void write(Path file, String title, String xLabel, List<Panel> panels) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, render(title, xLabel, panels), StandardCharsets.UTF_8);
    }

    public static String render(String title, String xLabel, List<Panel> panels) {
        int height = 30 + panels.size() * (PANEL_HEIGHT + TOP + BOTTOM);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(WIDTH / 2.0, 18, escape(title), "middle", 14));
        double[] xRange = range(panels, 0);
        for (int i = 0; i < panels.size(); i++) {
            panel(svg, panels.get(i), 30 + i * (PANEL_HEIGHT + TOP + BOTTOM), xRange, xLabel);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Panel p, int y0, double[] xRange, String xLabel) {
        double[] yRange = range(List.of(p), 1);
        if (!Double.isNaN(p.target())) yRange = new double[] {Math.min(yRange[0], p.target()), Math.max(yRange[1], p.target())};
        yRange = new double[] {Math.min(0, yRange[0]), yRange[1] <= yRange[0] ? yRange[0] + 1 : yRange[1] * 1.05};
        int top = y0 + TOP;
        int plotWidth = WIDTH - LEFT - RIGHT;
        svg.append(text(LEFT, y0 + 16, escape(p.title() + " (" + p.unit() + ")"), "start", 12));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, top, plotWidth, PANEL_HEIGHT));
        for (int k = 0; k <= 4; k++) {
            double v = yRange[0] + (yRange[1] - yRange[0]) * k / 4;
            double y = top + PANEL_HEIGHT - (v - yRange[0]) / (yRange[1] - yRange[0]) * PANEL_HEIGHT;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    LEFT, LEFT + plotWidth, y, y));
            svg.append(text(LEFT - 6, y + 4, number(v), "end", 11));
        }
        for (int k = 0; k <= 5; k++) {
            double v = xRange[0] + (xRange[1] - xRange[0]) * k / 5;
            double x = LEFT + (v - xRange[0]) / (xRange[1] - xRange[0]) * plotWidth;
            svg.append(text(x, top + PANEL_HEIGHT + 14, number(v), "middle", 11));
        }
        svg.append(text(LEFT + plotWidth, top + PANEL_HEIGHT + 27, escape(xLabel), "end", 11));
        if (!Double.isNaN(p.target())) {
            double y = top + PANEL_HEIGHT - (p.target() - yRange[0]) / (yRange[1] - yRange[0]) * PANEL_HEIGHT;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#b91c1c\""
                    + " stroke-dasharray=\"5,4\"/>%n", LEFT, LEFT + plotWidth, y, y));
            svg.append(text(LEFT + plotWidth - 4, y - 4, "target " + number(p.target()), "end", 11));
        }
        for (int s = 0; s < p.series().size(); s++) {
            Series series = p.series().get(s);
            String colour = COLOURS[s % COLOURS.length];
            List<String> run = new ArrayList<>();
            for (double[] pt : series.points()) {
                if (Double.isNaN(pt[1])) { line(svg, run, colour); run = new ArrayList<>(); continue; }
                double x = LEFT + (pt[0] - xRange[0]) / (xRange[1] - xRange[0]) * plotWidth;
                double y = top + PANEL_HEIGHT - (pt[1] - yRange[0]) / (yRange[1] - yRange[0]) * PANEL_HEIGHT;
                run.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            line(svg, run, colour);
            if (p.series().size() > 1) {
                svg.append(text(LEFT + 8 + s * 160, top + 14, escape(series.name()), "start", 11).replace("<text", "<text fill=\"" + colour + "\""));
            }
        }
    }

    private static void line(StringBuilder svg, List<String> points, String colour) {
        if (points.isEmpty()) return;
        if (points.size() == 1) points = List.of(points.get(0), points.get(0));
        svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                .append(String.join(" ", points)).append("\"/>\n");
    }

    /** min and max of coordinate {@code axis} (0 = x, 1 = y) over all points, NaN ignored. */
    private static double[] range(List<Panel> panels, int axis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Panel p : panels) {
            for (Series s : p.series()) {
                for (double[] pt : s.points()) {
                    if (Double.isNaN(pt[axis])) continue;
                    lo = Math.min(lo, pt[axis]);
                    hi = Math.max(hi, pt[axis]);
                }
            }
        }
        if (lo > hi) return new double[] {0, 1};
        return hi == lo ? new double[] {lo, lo + 1} : new double[] {lo, hi};
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, s);
    }

    private static String number(double v) {
        if (Math.abs(v) >= 10_000) return String.format(Locale.ROOT, "%.0fk", v / 1000);
        if (Math.abs(v) >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
