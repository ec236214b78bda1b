package de.prokommun.insights.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a clean stop leaves on disk: only what the next start resumes from (issue 14: no erased person kept). */
class RetainedCheckpointsTest {
    @TempDir
    Path state;

    @Test
    void aCleanStopDeletesTheSavepointsAndRunCheckpointsNoJobResumesFromAnyMore() throws Exception {
        RetainedCheckpoints retained = new RetainedCheckpoints(state);
        Path olderProfile = complete(retained.savepointDir().resolve("savepoint-aaaa-1"));
        Path anonymise = complete(retained.savepointDir().resolve("savepoint-bbbb-1"));
        retained.rememberJobId("anonymise", "bbbb");
        retained.rememberSavepoint("anonymise", "bbbb", anonymise.toUri().toString());
        retained.rememberJobId("profile", "aaaa");
        retained.rememberSavepoint("profile", "aaaa", olderProfile.toUri().toString());
        Path earlierRun = complete(retained.checkpointDir().resolve("1111").resolve("chk-7"));
        Path currentRun = complete(retained.checkpointDir().resolve("cccc").resolve("chk-3"));
        Path newerProfile = complete(retained.savepointDir().resolve("savepoint-cccc-2"));

        retained.rememberJobId("profile", "cccc");
        retained.rememberSavepoint("profile", "cccc", newerProfile.toUri().toString());

        assertThat(olderProfile).as("superseded by the profile job's new savepoint").doesNotExist();
        assertThat(earlierRun.getParent()).as("a run that is no job's last run").doesNotExist();
        assertThat(anonymise).as("the other job still resumes from it").exists();
        assertThat(newerProfile).exists();
        assertThat(currentRun).as("the last run's checkpoints stay: the fallback if a savepoint is lost").exists();
        assertThat(retained.latest("profile")).contains(newerProfile);
        assertThat(retained.latest("anonymise")).contains(anonymise);
    }

    private static Path complete(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("_metadata"), "x");
        return dir;
    }
}
