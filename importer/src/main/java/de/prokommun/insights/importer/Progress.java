package de.prokommun.insights.importer;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr: phase, bar, percent, count and rate. Silent when disabled (not a terminal,
 * or {@code --no-progress}), so logs and pipes stay clean.
 */
public final class Progress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private final PrintStream out;
    private final boolean enabled;
    private String phase = "";
    private String unit = "";
    private long started;
    private long lastDraw;

    public Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    public static Progress disabled() {
        return new Progress(System.err, false);
    }

    /** On when stdout and stdin are a terminal (Java cannot ask about stderr alone). */
    public static Progress forConsole() {
        return new Progress(System.err, System.console() != null);
    }

    public void start(String phase, String unit) {
        this.phase = phase;
        this.unit = unit;
        this.started = System.nanoTime();
        this.lastDraw = 0;
    }

    /** @param fraction 0..1 done */
    public synchronized void update(double fraction, long count) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && fraction < 1) return;
        lastDraw = now;
        out.print("\r" + line(phase, unit, fraction, count, (now - started) / 1e9));
        out.flush();
    }

    public synchronized void finish(long count) {
        if (!enabled) return;
        lastDraw = 0;
        update(1, count);
        out.println();
    }

    static String line(String phase, String unit, double fraction, long count, double seconds) {
        int width = 30;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        long rate = seconds > 0 ? Math.round(count / seconds) : 0;
        return String.format("%-8s [%s%s] %3d%%  %,d %s  %,d/s   ", phase, "#".repeat(filled), ".".repeat(width - filled),
                Math.round(fraction * 100), count, unit, rate);
    }
}
