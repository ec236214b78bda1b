package de.prokommun.insights.flink.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
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
        writeAtomically(idFile(jobName), jobId);
    }

    private static void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public Path savepointDir() { return stateDir.resolve("savepoints"); }

    /**
     * Where to resume the job: the savepoint its last run stopped with (a clean stop), else the newest
     * complete checkpoint of that run (a crash), else nothing.
     */
    public Optional<Path> latest(String jobName) {
        Optional<String> lastRun = lastJobId(jobName);
        Optional<Path> stoppedWith = lastRun.flatMap(id -> savepointOf(jobName, id));
        if (stoppedWith.isPresent()) return stoppedWith;
        return lastRun.flatMap(id -> latestIn(checkpointDir().resolve(id)));
    }

    /**
     * Remembers that the run {@code jobId} stopped with this savepoint (its sink transactions committed), and deletes
     * what it supersedes: savepoints no job resumes from and the checkpoints of runs that are no job's last run. They
     * hold the state of persons erased since (issue 14: an erasure must not survive in a file the local mode keeps);
     * a savepoint is self-contained, so nothing the next start needs is lost.
     */
    public void rememberSavepoint(String jobName, String jobId, String savepointPath) {
        writeAtomically(savepointFile(jobName), jobId + "\n" + savepointPath);
        deleteSuperseded();
    }

    /** Savepoint directories and run checkpoint directories that no job's files refer to any more. */
    void deleteSuperseded() {
        Set<Path> savepoints = new HashSet<>();
        Set<String> runs = new HashSet<>();
        for (Path file : list(stateDir.resolve("jobs"))) {
            String name = file.getFileName().toString();
            if (name.endsWith(".savepoint")) {
                String[] lines = read(file).split("\n");
                if (lines.length == 2) savepoints.add(pathOf(lines[1]).toAbsolutePath().normalize());
            } else if (name.endsWith(".id")) {
                runs.add(read(file));
            }
        }
        for (Path dir : list(savepointDir())) {
            if (!savepoints.contains(dir.toAbsolutePath().normalize())) deleteRecursively(dir);
        }
        for (Path dir : list(checkpointDir())) {
            if (!runs.contains(dir.getFileName().toString())) deleteRecursively(dir);
        }
    }

    private static Path pathOf(String savepointPath) {
        java.net.URI uri = java.net.URI.create(savepointPath);
        return Path.of(uri.getScheme() == null ? savepointPath : uri.getPath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static java.util.List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) return java.util.List.of();
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private Optional<Path> savepointOf(String jobName, String jobId) {
        Path file = savepointFile(jobName);
        try {
            if (!Files.isRegularFile(file)) return Optional.empty();
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).trim().split("\n");
            if (lines.length != 2 || !lines[0].equals(jobId)) return Optional.empty();
            Path savepoint = pathOf(lines[1]);
            return Files.isRegularFile(savepoint.resolve("_metadata")) ? Optional.of(savepoint) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private Path savepointFile(String jobName) {
        return stateDir.resolve("jobs").resolve(jobName + ".savepoint");
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
