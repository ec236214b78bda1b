package de.prokommun.insights.query.campaign;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link CampaignService#keepOnSchedule} periodically: campaigns start and end on their validity. */
public final class CampaignSchedule extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignSchedule.class);

    private final CampaignService campaigns;
    private final Duration every;
    private long timer = -1;

    public CampaignSchedule(CampaignService campaigns, Duration every) {
        this.campaigns = campaigns;
        this.every = every;
    }

    @Override
    public Future<?> start() {
        timer = vertx.setPeriodic(every.toMillis(), id -> campaigns.keepOnSchedule().forEach(write -> write
                .whenComplete((written, failed) -> {
                    if (failed != null) LOG.warn("a campaign's scheduled change was not written, next try in {}", every, failed);
                    else LOG.info("campaign {} {} on its schedule", written.getString("campaignId"), written.getString("status"));
                })));
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }
}
