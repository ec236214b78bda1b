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
