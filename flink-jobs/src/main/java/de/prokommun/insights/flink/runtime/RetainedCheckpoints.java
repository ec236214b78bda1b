package de.prokommun.insights.flink.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a job's retained checkpoints are: {@code <checkpointDir>/<jobId>/chk-N} with a {@code _metadata} file
 * once complete. The id of each job's last run is remembered in {@code <stateDir>/jobs/<name>.id}.
 */
public final class RetainedCheckpoints {
    private final Path stateDir;

    public RetainedCheckpoints(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path checkpointDir() { return stateDir.resolve("checkpoints"); }

    public Optional<String> lastJobId(String jobName) {
        Path file = idFile(jobName);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public void rememberJobId(String jobName, String jobId) {
        Path file = idFile(jobName);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, jobId, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The newest complete checkpoint of the job's last run, if any. */
    public Optional<Path> latest(String jobName) {
        return lastJobId(jobName).flatMap(id -> latestIn(checkpointDir().resolve(id)));
    }

    static Optional<Path> latestIn(Path jobDir) {
        if (!Files.isDirectory(jobDir)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().matches("chk-\\d+"))
                    .filter(d -> Files.isRegularFile(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jobDir, e);
        }
    }

    private Path idFile(String jobName) {
        return stateDir.resolve("jobs").resolve(jobName + ".id");
    }
}
