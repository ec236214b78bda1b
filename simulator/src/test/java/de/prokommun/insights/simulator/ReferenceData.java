package de.prokommun.insights.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real reference figures in shared/data/reference, found by walking up from the module directory
 * (the repository is cloned with ../shared beside it).
 */
final class ReferenceData {
    private ReferenceData() {}

    static Path directory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/reference");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("shared/data/reference not found above " + Path.of("").toAbsolutePath());
    }

    /** Rows of a CSV file with a header; quoted fields may contain commas. */
    static List<String[]> csv(String file) {
        try {
            List<String> lines = Files.readAllLines(directory().resolve(file), StandardCharsets.UTF_8);
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) if (!line.isBlank()) rows.add(split(line));
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { out.add(cur.toString()); cur.setLength(0); }
            else cur.append(c);
        }
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }

    static Path repositoryCityDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("cities/musterstadt");
            if (Files.isRegularFile(candidate.resolve("city.json"))) return candidate;
        }
        throw new IllegalStateException("cities/musterstadt not found above " + Path.of("").toAbsolutePath());
    }
}
