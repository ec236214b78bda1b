package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.city.CityCatalog;
import java.nio.file.Path;

/** What the campaign job needs, resolved from the configuration. */
public record CampaignSettings(CityCatalog cities, int maxPerWeek) {

    public static CampaignSettings from(Settings settings) {
        return new CampaignSettings(CityCatalog.load(Path.of(settings.get(FlinkJobsConfig.CITIES_DIR))),
                settings.get(FlinkJobsConfig.CAMPAIGN_MAX_PER_WEEK));
    }
}
