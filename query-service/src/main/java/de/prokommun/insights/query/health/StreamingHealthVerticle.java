package de.prokommun.insights.query.health;

import de.prokommun.insights.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the pipeline about every poll period (at random phases: {@link SamplingSchedule}) on a worker thread and
 * answers the latest report on the event bus at {@link #ADDRESS} ({"json": {...}, "prometheus": "..."}), so the query
 * service's routes never block on probes.
 */
public final class StreamingHealthVerticle extends VerticleBase {

    public static final String ADDRESS = "prokommun.health.streaming";
    private static final Logger LOG = LoggerFactory.getLogger(StreamingHealthVerticle.class);

    private final Settings settings;
    private final Clock clock;
    private StreamingHealthMonitor monitor;
    private volatile StreamingHealthReport latest;
    private long timer = -1;
    private MessageConsumer<Object> consumer;
    private boolean sampling;
    private long offsetsTimer = -1;
    private boolean samplingOffsets;
    private SamplingSchedule schedule;
    private volatile boolean stopped;

    public StreamingHealthVerticle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        LOG.info("Streaming health monitor configuration:\n{}", settings.describe(HealthConfig.all()));
        return vertx.executeBlocking(() -> {
            monitor = new StreamingHealthMonitor(settings, clock);
            latest = monitor.sample();
            return null;
        }).onSuccess(x -> {
            consumer = vertx.eventBus().consumer(ADDRESS, msg -> msg.reply(new JsonObject()
                    .put("json", latest.toJson()).put("prometheus", latest.toPrometheus())));
            schedule = new SamplingSchedule(settings.get(HealthConfig.POLL_PERIOD).toMillis(), new SplittableRandom());
            scheduleSample();
            offsetsTimer = vertx.setPeriodic(settings.get(HealthConfig.END_OFFSETS_PERIOD).toMillis(), id -> sampleEndOffsets());
        });
    }

    private void scheduleSample() {
        if (stopped) return;
        timer = vertx.setTimer(schedule.nextDelayMillis(), id -> {
            sampleOnce();
            scheduleSample();
        });
    }

    private void sampleEndOffsets() {
        if (samplingOffsets) return;
        samplingOffsets = true;
        vertx.executeBlocking(() -> {
            monitor.sampleEndOffsets();
            return null;
        }, false).onComplete(x -> samplingOffsets = false);
    }

    private void sampleOnce() {
        if (sampling) return;
        sampling = true;
        vertx.executeBlocking(() -> monitor.sample(), false)
                .onSuccess(r -> latest = r)
                .onFailure(e -> LOG.warn("health sample failed: {}", e.toString()))
                .onComplete(x -> sampling = false);
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        if (timer >= 0) vertx.cancelTimer(timer);
        if (offsetsTimer >= 0) vertx.cancelTimer(offsetsTimer);
        Future<?> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
        return unregistered.eventually(() -> vertx.executeBlocking(() -> {
            if (monitor != null) monitor.close();
            return null;
        }));
    }
}
