package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.contract.CitySecrets;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.city.CityCatalog;
import java.nio.file.Path;
import java.time.Duration;

/** What the anonymise job needs, resolved from the configuration. */
public record AnonymiseSettings(CitySecrets secrets, CityCatalog cities, Duration cardLinkWait, int cardLinkBuffer,
                                String portalParticipant, Duration erasureTombstone) {

    public static AnonymiseSettings from(Settings settings) {
        return new AnonymiseSettings(CitySecrets.parse(settings.get(FlinkJobsConfig.CITY_SECRETS)),
                CityCatalog.load(Path.of(settings.get(FlinkJobsConfig.CITIES_DIR))),
                settings.get(FlinkJobsConfig.CARD_LINK_WAIT), settings.get(FlinkJobsConfig.CARD_LINK_BUFFER),
                settings.get(FlinkJobsConfig.PORTAL_PARTICIPANT), settings.get(FlinkJobsConfig.DEDUPE_HORIZON));
    }

    @Override
    public String toString() {
        return "AnonymiseSettings{cities=" + cities.names() + ", secrets=" + secrets + ", cardLinkWait=" + cardLinkWait
                + ", cardLinkBuffer=" + cardLinkBuffer + ", portalParticipant=" + portalParticipant
                + ", erasureTombstone=" + erasureTombstone + "}";
    }
}
