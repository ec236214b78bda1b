package de.prokommun.insights.bench.harness;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A closed loop of {@code concurrency} asynchronous clients: each starts its next operation when the
 * previous one completed. Counts operations and latencies that complete inside the measured window.
 */
public final class ClosedLoop {

    public record Result(double seconds, long ok, long failed, double p50Millis, double p99Millis, String firstError) {
        public double perSecond() { return ok / seconds; }
    }

    private final int concurrency;
    private final AtomicLong sequence = new AtomicLong();

    public ClosedLoop(int concurrency) {
        this.concurrency = concurrency;
    }

    /** {@code operation} gets a running number and completes with an error text, or null on success. */
    public Result run(Duration duration, LongFunction<Future<String>> operation) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        LatencyRecorder latencies = new LatencyRecorder();
        String[] firstError = {null};
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) next(operation, stop, ok, failed, latencies, firstError, done);
        Thread.sleep(duration.toMillis());
        stop.set(true);
        double seconds = (System.nanoTime() - start) / 1e9;
        long okInWindow = ok.get();
        done.await(60, TimeUnit.SECONDS);
        return new Result(seconds, okInWindow, failed.get(),
                latencies.count() == 0 ? Double.NaN : latencies.percentileMillis(0.50),
                latencies.count() == 0 ? Double.NaN : latencies.percentileMillis(0.99), firstError[0]);
    }

    private void next(LongFunction<Future<String>> operation, AtomicBoolean stop, AtomicLong ok, AtomicLong failed,
                      LatencyRecorder latencies, String[] firstError, CountDownLatch done) {
        if (stop.get()) {
            done.countDown();
            return;
        }
        long t0 = System.nanoTime();
        Future<String> f;
        try {
            f = operation.apply(sequence.getAndIncrement());
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            long elapsed = System.nanoTime() - t0;
            if (!stop.get()) {
                String error = ar.succeeded() ? ar.result() : ar.cause().toString();
                latencies.record(elapsed);
                if (error == null) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    synchronized (firstError) {
                        if (firstError[0] == null) firstError[0] = error;
                    }
                }
            }
            next(operation, stop, ok, failed, latencies, firstError, done);
        });
    }
}
