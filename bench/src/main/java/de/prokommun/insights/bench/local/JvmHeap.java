package de.prokommun.insights.bench.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The heap of another JVM on this machine, through the JDK's own tools: the live heap after a full collection
 * ({@code jcmd PID GC.class_histogram}, whose total counts only reachable objects), once or {@link LiveSamples every
 * few seconds}.
 */
final class JvmHeap {
    private JvmHeap() {}

    /** Bytes of live objects after the full collection the class histogram forces. */
    static long liveBytes(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IOException("jcmd failed: " + tail(out));
        return histogramTotal(out);
    }

    /** The bytes of the histogram's "Total" line. */
    static long histogramTotal(String histogram) throws IOException {
        for (String line : histogram.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 3 && cols[0].equals("Total")) return Long.parseLong(cols[2]);
        }
        throw new IOException("no Total line in the class histogram: " + tail(histogram));
    }

    private static String tail(String s) {
        return s.length() <= 400 ? s : s.substring(s.length() - 400);
    }

    /**
     * The live heap every {@code period} until closed, each after the full collection of a class histogram: what the heap
     * limit must hold at that moment. (What a young collection leaves, or what jstat sees, includes garbage G1 keeps
     * in the old generation until the heap is nearly full, and reads close to the limit whether or not it is tight.)
     */
    static final class LiveSamples implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService every =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "live-heap-samples");
                    t.setDaemon(true);
                    return t;
                });
        private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();

        LiveSamples(long pid, java.time.Duration period) {
            every.scheduleWithFixedDelay(() -> {
                try {
                    max.accumulateAndGet(liveBytes(pid), Math::max);
                } catch (IOException e) {
                    // the JVM ended (an OutOfMemoryError): the caller sees it gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The largest live heap sampled so far, in bytes. */
        long maxBytes() { return max.get(); }

        @Override public void close() {
            every.shutdownNow();
        }
    }
}
