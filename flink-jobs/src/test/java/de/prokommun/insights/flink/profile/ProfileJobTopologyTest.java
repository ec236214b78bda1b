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
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.BroadcastPartitioner;
import org.junit.jupiter.api.Test;

/**
 * The profile job's graph at parallelism 2 (built, not run): the keyed operators are split by job, and between them
 * records are handed on without a shuffle — one hash partitioning by pseudonym in front of the registration wait, then
 * chaining into one task.
 */
class ProfileJobTopologyTest {

    @Test
    void theKeyedOperatorsFollowOneShuffleWithoutAnotherAndChainIntoOneTask() throws Exception {
        JobGraph graph = profileJobGraph();

        JobVertex keyed = vertexNamed(graph, "RegistrationWait");
        assertThat(keyed.getName()).as("de-duplication, profile, journey ledger and person side of vouchers chained"
                + " to the wait").contains("EventDeduplicator", "ProfileBuilder", "JourneyLedger", "VoucherFacts");
        assertThat(vertexNamed(graph, "ProfileBuilder")).isSameAs(keyed);
        assertThat(shipStrategiesInto(keyed)).as("the one shuffle by pseudonym, the task's only input").containsExactly("HASH");
        assertThat(keyed.getParallelism()).isEqualTo(2);
    }

    /**
     * An operator with a forward or broadcast input takes every checkpoint aligned on all its inputs (Flink's
     * StreamGraphGenerator). The mappings' broadcast meets the events in the categoriser, in front of the shuffle;
     * the keyed operators' task has one input, and a checkpoint barrier may overtake the records in flight on it.
     */
    @Test
    void theKeyedOperatorsInputsAllowUnalignedCheckpointsAndOnlyTheCategoriserReadsTheBroadcast() throws Exception {
        StreamGraph graph = profileStreamGraph();

        // the operators behind it are chained to it (test above): this edge is the task's only network input
        List<StreamEdge> in = nodeNamed(graph, "RegistrationWait").getInEdges();
        assertThat(in).hasSize(1).allSatisfy(e -> assertThat(e.supportsUnalignedCheckpoints()).isTrue());
        for (String chained : List.of("EventDeduplicator", "ProfileBuilder")) {
            assertThat(nodeNamed(graph, chained).getInEdges()).as(chained).hasSize(1);
        }
        List<String> readingBroadcast = new ArrayList<>();
        for (StreamNode n : graph.getStreamNodes()) {
            for (StreamEdge e : n.getInEdges()) {
                if (e.getPartitioner() instanceof BroadcastPartitioner) readingBroadcast.add(n.getOperatorName());
            }
        }
        assertThat(readingBroadcast).containsExactly("ProductGroupCategoriser");
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
        return profileStreamGraph().getJobGraph();
    }

    private static StreamGraph profileStreamGraph() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Settings settings = Settings.of(Map.of(CommonConfig.KAFKA_BOOTSTRAP.name(), "localhost:9",
                FlinkJobsConfig.CITIES_DIR.name(), Fixtures.CITIES_DIR.toString()));
        ProfileJob.buildOnKafka(env, settings);
        return env.getStreamGraph();
    }

    private static StreamNode nodeNamed(StreamGraph graph, String name) {
        for (StreamNode n : graph.getStreamNodes()) if (n.getOperatorName().startsWith(name)) return n;
        throw new AssertionError("no operator named " + name);
    }

    private static StreamExecutionEnvironment jobEnvironment(Settings settings) {
        return de.prokommun.insights.flink.runtime.JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), settings, "/tmp/unused-checkpoints");
    }

    private static JobVertex vertexNamed(JobGraph graph, String part) {
        for (JobVertex v : graph.getVertices()) if (v.getName().contains(part)) return v;
        throw new AssertionError("no vertex named *" + part + "* in " + List.of(graph.getVerticesAsArray()));
    }

    private static List<String> shipStrategiesInto(JobVertex v) {
        List<String> out = new ArrayList<>();
        for (JobEdge e : v.getInputs()) out.add(e.getShipStrategyName());
        return out;
    }
}
