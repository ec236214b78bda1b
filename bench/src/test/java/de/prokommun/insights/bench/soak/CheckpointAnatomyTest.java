package de.prokommun.insights.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.bench.soak.CheckpointAnatomy.Checkpoint;
import de.prokommun.insights.bench.soak.CheckpointAnatomy.TaskPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointAnatomyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlyCompletedCheckpointsAfterTheLastSeenOneAreNewOldestFirst() throws Exception {
        JsonNode history = JSON.readTree("""
                {"history": [
                  {"id": 14, "status": "IN_PROGRESS", "end_to_end_duration": 0},
                  {"id": 13, "status": "COMPLETED", "end_to_end_duration": 700},
                  {"id": 12, "status": "FAILED", "end_to_end_duration": 900},
                  {"id": 11, "status": "COMPLETED", "end_to_end_duration": 400},
                  {"id": 10, "status": "COMPLETED", "end_to_end_duration": 300}]}""");

        assertThat(CheckpointAnatomy.newlyCompleted(history, 10)).extracting(h -> h.path("id").asLong())
                .containsExactly(11L, 13L);
        assertThat(CheckpointAnatomy.newlyCompleted(history, 13)).isEmpty();
    }

    @Test
    void aTaskPartIsItsSlowestSubtaskInEachPart() throws Exception {
        JsonNode summary = JSON.readTree("""
                {"end_to_end_duration": {"min": 100, "max": 1125, "avg": 600},
                 "checkpoint_duration": {"sync": {"min": 3, "max": 175, "avg": 80}, "async": {"min": 1, "max": 245, "avg": 90}},
                 "alignment": {"duration": {"min": 0, "max": 718, "avg": 300}, "persisted": {"min": 0, "max": 16, "avg": 8}},
                 "start_delay": {"min": 5, "max": 43, "avg": 20}}""");

        assertThat(CheckpointAnatomy.taskPart("ProfileBuilder", summary))
                .isEqualTo(new TaskPart("ProfileBuilder", 1125, 43, 718, 175, 245, 16));
    }

    @Test
    void theSummaryNamesTheSlowestTaskOfEachJobAndItsParts() {
        List<Checkpoint> all = List.of(
                checkpoint("burst", "profile", 1, 1200, List.of(part("ProfileBuilder", 1200, 700), part("Source", 100, 0))),
                checkpoint("burst", "profile", 2, 1000, List.of(part("ProfileBuilder", 1000, 500), part("Source", 900, 0))),
                checkpoint("burst", "profile", 3, 300, List.of()),
                checkpoint("burst", "anonymise", 1, 100, List.of()),
                checkpoint("live", "profile", 1, 200, List.of()));

        Map<String, Object> burst = CheckpointAnatomy.summarise("burst", all);

        assertThat(burst).containsEntry("burst.checkpoints.profile.count", 3)
                .containsEntry("burst.checkpoints.profile.median_ms", 1000.0)
                .containsEntry("burst.checkpoints.profile.max_ms", 1200.0)
                .containsEntry("burst.checkpoints.profile.slowest_task", "ProfileBuilder")
                .containsEntry("burst.checkpoints.profile.slowest_task.read", 2)
                .containsEntry("burst.checkpoints.profile.slowest_task.alignment_median_ms", 500.0)
                .containsEntry("burst.checkpoints.anonymise.count", 1)
                .doesNotContainKey("burst.checkpoints.anonymise.slowest_task");
        assertThat(CheckpointAnatomy.summarise("live", all)).containsEntry("live.checkpoints.profile.count", 1);
    }

    @Test
    void theCsvHasOneRowPerCheckpointAndOnePerTaskRead(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("c.csv");
        CheckpointAnatomy.writeCsv(csv, List.of(
                checkpoint("burst", "profile", 7, 1200, List.of(part("ProfileBuilder + ContributionLedger", 1200, 700)))));

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("12.500,burst,profile,7,1200,0,,,,,,,");
        assertThat(lines.get(2)).isEqualTo("12.500,burst,profile,7,1200,0,\"ProfileBuilder + ContributionLedger\",1200,50,700,200,250,0");
    }

    private static Checkpoint checkpoint(String phase, String job, long id, long e2e, List<TaskPart> parts) {
        return new Checkpoint(12.5, phase, job, id, e2e, 0, parts);
    }

    private static TaskPart part(String task, long e2e, long alignment) {
        return new TaskPart(task, e2e, 50, alignment, 200, 250, 0);
    }
}
