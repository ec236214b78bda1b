package de.prokommun.insights.flink.profile;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.city.CityCatalog;
import java.nio.file.Path;
import java.time.Duration;

/** What the profile job needs, resolved from the configuration. */
public record ProfileSettings(CityCatalog cities, Duration dedupeHorizon, Duration maxOutOfOrderness,
                              Duration sourceIdleness, Duration unknownPersonWait, int unknownPersonBuffer,
                              String portalParticipant) {

    public ProfileSettings(CityCatalog cities, Duration dedupeHorizon, Duration maxOutOfOrderness,
                           Duration sourceIdleness, Duration unknownPersonWait, int unknownPersonBuffer) {
        this(cities, dedupeHorizon, maxOutOfOrderness, sourceIdleness, unknownPersonWait, unknownPersonBuffer,
                FlinkJobsConfig.PORTAL_PARTICIPANT.defaultValue());
    }

    public ProfileSettings(CityCatalog cities, Duration dedupeHorizon, Duration maxOutOfOrderness, Duration sourceIdleness) {
        this(cities, dedupeHorizon, maxOutOfOrderness, sourceIdleness, FlinkJobsConfig.UNKNOWN_PERSON_WAIT.defaultValue(),
                FlinkJobsConfig.UNKNOWN_PERSON_BUFFER.defaultValue());
    }

    public static ProfileSettings from(Settings settings) {
        return new ProfileSettings(CityCatalog.load(Path.of(settings.get(FlinkJobsConfig.CITIES_DIR))),
                settings.get(FlinkJobsConfig.DEDUPE_HORIZON),
                settings.get(FlinkJobsConfig.MAX_OUT_OF_ORDERNESS),
                settings.get(FlinkJobsConfig.SOURCE_IDLENESS),
                settings.get(FlinkJobsConfig.UNKNOWN_PERSON_WAIT),
                settings.get(FlinkJobsConfig.UNKNOWN_PERSON_BUFFER),
                settings.get(FlinkJobsConfig.PORTAL_PARTICIPANT));
    }
}
