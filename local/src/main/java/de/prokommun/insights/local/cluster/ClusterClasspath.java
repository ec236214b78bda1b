package de.prokommun.insights.local.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The classpaths of the cluster's nodes, from the local module's classpath ({@code local/target/local.classpath},
 * written by the build, plus the module's classes): the services and Kafka nodes run with all of it; the Flink nodes
 * with everything but the jobs' own jar — the jobs arrive as a jar through the JobManager's REST API, as on a
 * production cluster whose {@code lib/} holds the dependencies.
 */
public record ClusterClasspath(List<String> entries) {
    private static final String JOBS_ARTIFACT = "flink-jobs";

    /** The classpath of the build found upwards from the working directory. */
    public static ClusterClasspath ofBuild() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("local/target/local.classpath");
            if (Files.isRegularFile(file)) {
                try {
                    String deps = Files.readString(file).trim();
                    Path classes = dir.resolve("local/target/classes");
                    return new ClusterClasspath(Stream.concat(Stream.of(classes.toString()),
                            Arrays.stream(deps.split(java.io.File.pathSeparator))).toList());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
        }
        throw new IllegalStateException("no local/target/local.classpath above " + Path.of("").toAbsolutePath()
                + " (build first: mvn -DskipTests install)");
    }

    public String services() {
        return String.join(java.io.File.pathSeparator, entries);
    }

    public String flinkCluster() {
        return String.join(java.io.File.pathSeparator, entries.stream().filter(e -> !isJobs(e)).toList());
    }

    /** The jobs' jar; built from the classes directory into {@code dir} when the build left no jar. */
    public Path jobJar(Path dir) {
        String entry = entries.stream().filter(ClusterClasspath::isJobs).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + JOBS_ARTIFACT + " on the classpath " + entries));
        Path path = Path.of(entry);
        return Files.isDirectory(path) ? jarOf(path, dir.resolve(JOBS_ARTIFACT + ".jar")) : path;
    }

    static boolean isJobs(String entry) {
        Path p = Path.of(entry);
        String name = p.getFileName().toString();
        return name.startsWith(JOBS_ARTIFACT + "-") && name.endsWith(".jar")
                || name.equals("classes") && p.getParent() != null && p.getParent().getParent() != null
                && p.getParent().getParent().getFileName().toString().equals(JOBS_ARTIFACT);
    }

    private static Path jarOf(Path classes, Path jar) {
        try {
            Files.createDirectories(jar.getParent());
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the jobs' jar from " + classes, e);
        }
    }
}
