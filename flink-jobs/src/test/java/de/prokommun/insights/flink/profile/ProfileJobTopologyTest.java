package de.prokommun.insights.flink.profile;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.FlinkJobsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The profile job's graph at parallelism 2 (built, not run): the keyed operators are split by job, and between them
 * records are handed on without a shuffle — one hash partitioning by pseudonym in front of the registration wait, then
 * only forward edges or chaining.
 */
class ProfileJobTopologyTest {

    @Test
    void theKeyedOperatorsFollowOneShuffleWithoutAnother() throws Exception {
        JobGraph graph = profileJobGraph();

        JobVertex wait = vertexNamed(graph, "RegistrationWait");
        JobVertex profile = vertexNamed(graph, "ProfileBuilder");
        assertThat(wait.getName()).as("de-duplication chained to the wait").contains("EventDeduplicator");
        assertThat(profile.getName()).as("journey ledger and person side of vouchers chained to the profile operator")
                .contains("JourneyLedger", "VoucherFacts");
        assertThat(shipStrategiesInto(wait)).as("the one shuffle by pseudonym").containsExactly("HASH");
        // the profile operator has two inputs (events, broadcast mappings), which Flink does not chain: the events
        // arrive on a forward edge from the de-duplication, same subtask, no repartitioning
        assertThat(edgesInto(profile)).anySatisfy(e -> {
            assertThat(e.getSource().getProducer()).isEqualTo(wait);
            assertThat(e.getShipStrategyName()).isEqualTo("FORWARD");
        });
        assertThat(wait.getParallelism()).isEqualTo(profile.getParallelism()).isEqualTo(2);
    }

    /**
     * The contribution and journey ledgers write most of the job's rows (several per event): their sinks run in the
     * profile operator's chain, so no row crosses a network edge before it is written.
     */
    @Test
    void theLedgersWriteThroughSinksChainedToThem() throws Exception {
        JobGraph graph = profileJobGraph();

        JobVertex profile = vertexNamed(graph, "ProfileBuilder");
        assertThat(profile.getName()).contains("contributions (ledger)", "contributions (journey)");
        for (JobVertex v : graph.getVertices()) {
            if (v == profile || !v.getName().contains("contributions")) continue;
            assertThat(v.getInputs()).as("no other contributions sink reads the profile operator's chain: %s", v.getName())
                    .noneSatisfy(e -> assertThat(e.getSource().getProducer()).isEqualTo(profile));
        }
    }

    /**
     * With generic types disabled (as every job runs, {@code JobEnvironment}), building a job's graph fails on any
     * record or state type that would need Kryo; both jobs build, and a generic type would not.
     */
    @Test
    void noRecordTypeOfEitherJobFallsBackToKryo() throws Exception {
        Settings settings = Settings.of(Map.of(CommonConfig.KAFKA_BOOTSTRAP.name(), "localhost:9",
                FlinkJobsConfig.CITIES_DIR.name(), Fixtures.CITIES_DIR.toString(),
                FlinkJobsConfig.CITY_SECRETS.name(), Fixtures.SECRETS));
        StreamExecutionEnvironment profileEnv = jobEnvironment(settings);
        ProfileJob.buildOnKafka(profileEnv, settings);
        assertThat(profileEnv.getStreamGraph().getJobGraph().getNumberOfVertices()).isPositive();
        StreamExecutionEnvironment anonymiseEnv = jobEnvironment(settings);
        de.prokommun.insights.flink.anonymize.AnonymiseJob.buildOnKafka(anonymiseEnv, settings);
        assertThat(anonymiseEnv.getStreamGraph().getJobGraph().getNumberOfVertices()).isPositive();

        StreamExecutionEnvironment generic = jobEnvironment(settings);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            generic.fromData(List.of(new java.util.ArrayList<>(List.of("a")))).print(); // a type only Kryo serializes
            generic.getStreamGraph().getJobGraph();
        }).as("the check is on").hasStackTraceContaining("Generic types have been disabled");
    }

    /** The profile job's graph on Kafka at parallelism 2, built, not run. */
    private static JobGraph profileJobGraph() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Settings settings = Settings.of(Map.of(CommonConfig.KAFKA_BOOTSTRAP.name(), "localhost:9",
                FlinkJobsConfig.CITIES_DIR.name(), Fixtures.CITIES_DIR.toString()));
        ProfileJob.buildOnKafka(env, settings);
        return env.getStreamGraph().getJobGraph();
    }

    private static StreamExecutionEnvironment jobEnvironment(Settings settings) {
        return de.prokommun.insights.flink.runtime.JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), settings, "/tmp/unused-checkpoints");
    }

    private static JobVertex vertexNamed(JobGraph graph, String part) {
        for (JobVertex v : graph.getVertices()) if (v.getName().contains(part)) return v;
        throw new AssertionError("no vertex named *" + part + "* in " + List.of(graph.getVerticesAsArray()));
    }

    private static List<JobEdge> edgesInto(JobVertex v) {
        return v.getInputs();
    }

    private static List<String> shipStrategiesInto(JobVertex v) {
        List<String> out = new ArrayList<>();
        for (JobEdge e : v.getInputs()) out.add(e.getShipStrategyName());
        return out;
    }
}
