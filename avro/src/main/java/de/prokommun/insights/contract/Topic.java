package de.prokommun.insights.contract;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;

/**
 * A Kafka topic of the pipeline: its base name, the codec of its values and how it is kept. Keys are
 * always UTF-8 strings (resident reference, card reference or pseudonym).
 */
public record Topic<V>(String baseName, Codec<V> codec, Retention retention, String purpose) {

    public enum Retention {
        /** Direct identifiers: deleted after the raw retention (hours). */
        SHORT,
        /** Pseudonymous upsert rows: compacted, the newest row per key survives. */
        COMPACTED,
        /** No pseudonym inside: kept by time. */
        TIME,
        /**
         * Pseudonymous marks needed only briefly (resident erasures): compacted, the newest per key survives, and
         * deleted after the short retention of the raw topic (never earlier: Kafka deletes whole segments).
         */
        COMPACTED_SHORT
    }

    /** The topic's name in an installation: the configured prefix plus the base name. */
    public String name(Settings settings) {
        return settings.get(CommonConfig.TOPIC_PREFIX) + baseName;
    }
}
