package de.prokommun.insights.contract;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;

/**
 * A Kafka topic of the pipeline: its base name, the codec of its values and how it is kept. Keys are
 * always UTF-8 strings (resident reference, card reference or pseudonym).
 */
public record Topic<V>(String baseName, Codec<V> codec, Retention retention, String purpose) {

    public enum Retention {
        /**
         * Direct identifiers: deleted after the raw retention (hours). Segments roll at least every
         * {@code kafka.segment.max-age}: Kafka deletes whole segments, by their newest record, so a record lives at most
         * the retention plus that age.
         */
        SHORT,
        /**
         * Pseudonymous upsert rows whose Kafka key is the row's whole identity: compacted, the newest row per key
         * survives; a superseded version (an erased person's profile before the deletion row) is compacted away at the
         * latest {@code kafka.compaction.max-lag} after it was written, and the active segment (which compaction never
         * touches) rolls at the first write after {@code kafka.segment.max-age}.
         */
        COMPACTED,
        /**
         * Pseudonymous rows keyed more coarsely than their identity: person-records is keyed by the pseudonym while a
         * row is one record (pseudonym + record id). Kafka's compaction keeps one record per key, so a compaction of
         * this topic also removes a person's current records beside superseded versions; bounding its lag would make
         * that happen within the bound, hence compacted as before, without a bound (in practice only once a segment
         * is 7 days or 1 GiB old). To become {@link #COMPACTED} once the topic is keyed by the row (docs/DSGVO.md,
         * section 4).
         */
        COMPACTED_COARSE_KEY,
        /** No pseudonym inside: kept by time. */
        TIME,
        /**
         * Pseudonymous marks needed only briefly (resident erasures): compacted, the newest per key survives, and
         * deleted after the short retention of the raw topic (never earlier: Kafka deletes whole segments; segments roll
         * as those of {@link #SHORT} topics, so never much later either).
         */
        COMPACTED_SHORT
    }

    /** The topic's name in an installation: the configured prefix plus the base name. */
    public String name(Settings settings) {
        return settings.get(CommonConfig.TOPIC_PREFIX) + baseName;
    }
}
