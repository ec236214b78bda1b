package de.prokommun.insights.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** What a benchmark gets: its options, the number of runs, the repository root and a scratch directory. */
public record BenchContext(String name, Map<String, String> options, int runs, Path repo, Path workDir) {

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    public int intOption(String key, int fallback) {
        String v = options.get(key);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": expected an integer but got '" + v + "'");
        }
    }

    /** Durations as 30s, 500ms, 2m. */
    public Duration durationOption(String key, Duration fallback) {
        String v = options.get(key);
        if (v == null) return fallback;
        String s = v.trim().toLowerCase();
        try {
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--" + key + ": expected a duration such as 30s, 500ms or 2m but got '" + v + "'");
        }
    }

    public Path citiesDir() { return repo.resolve("cities"); }
}
