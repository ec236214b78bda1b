package de.prokommun.insights.bench.ingestion;

import de.prokommun.insights.bench.harness.LatencyRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load: {@code connections} clients each send the next request as soon as the previous
 * one is answered, over keep-alive HTTP/1.1 connections. Measures accepted events and request latency
 * (request sent → whole response read) inside the measured window only.
 */
final class ClosedLoopLoad {

    record Result(double seconds, long acceptedEvents, long requests, long failedRequests, double p50Millis,
                  double p99Millis, String firstError) {
        double eventsPerSecond() { return acceptedEvents / seconds; }
    }

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final List<PurchaseBatches.Body> bodies;
    private final Map<String, String> apiKeys;
    private final int connections;

    ClosedLoopLoad(Vertx vertx, String host, int port, List<PurchaseBatches.Body> bodies, Map<String, String> apiKeys,
                   int connections) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
                .setKeepAlive(true).setPipelining(false), new PoolOptions().setHttp1MaxSize(connections));
        this.bodies = bodies;
        this.apiKeys = apiKeys;
        this.connections = connections;
    }

    Result run(Duration duration) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong accepted = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        LatencyRecorder latencies = new LatencyRecorder();
        String[] firstError = {null};
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            loop(stop, accepted, requests, failed, next, latencies, firstError, done);
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        double seconds = (System.nanoTime() - start) / 1e9;
        long acceptedInWindow = accepted.get();
        long requestsInWindow = requests.get();
        done.await(60, TimeUnit.SECONDS); // let requests in flight finish before the next run starts
        return new Result(seconds, acceptedInWindow, requestsInWindow, failed.get(),
                latencies.count() == 0 ? Double.NaN : latencies.percentileMillis(0.50),
                latencies.count() == 0 ? Double.NaN : latencies.percentileMillis(0.99), firstError[0]);
    }

    private void loop(AtomicBoolean stop, AtomicLong accepted, AtomicLong requests, AtomicLong failed,
                      AtomicInteger next, LatencyRecorder latencies, String[] firstError, CountDownLatch done) {
        if (stop.get()) {
            done.countDown();
            return;
        }
        PurchaseBatches.Body body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
        long t0 = System.nanoTime();
        send(body).onComplete(ar -> {
            long elapsed = System.nanoTime() - t0;
            if (!stop.get()) {
                latencies.record(elapsed);
                requests.incrementAndGet();
                if (ar.succeeded() && ar.result() == 202) {
                    accepted.addAndGet(body.events());
                } else {
                    failed.incrementAndGet();
                    synchronized (firstError) {
                        if (firstError[0] == null) firstError[0] = ar.succeeded() ? "HTTP " + ar.result() : ar.cause().toString();
                    }
                }
            }
            loop(stop, accepted, requests, failed, next, latencies, firstError, done);
        });
    }

    private Future<Integer> send(PurchaseBatches.Body body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/events")
                .putHeader("Authorization", "Bearer " + apiKeys.get(body.sender()))
                .putHeader("Content-Type", "application/json");
        return client.request(options)
                .compose(request -> request.send(body.json()))
                .compose(response -> response.body().map(ignored -> response.statusCode()));
    }

    void close() {
        client.close().await();
    }
}
