package de.prokommun.insights.testkit;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import java.util.Map;

/**
 * The topic configuration the local mode creates (EmbeddedKafka's, package-private there): the drift tests expect
 * the same cleanup policy and retention on the clusters, so they read it from the one place that defines it.
 */
public final class TopicConfigs {
    private TopicConfigs() {}

    public static Map<String, String> of(Topic<?> topic, Settings settings) {
        return EmbeddedKafka.topicConfig(topic, settings);
    }
}
