package de.prokommun.insights.query.publication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One JSON file per city in a directory ({@code <city><suffix>}), replaced atomically: a publication is served only
 * after it is on disk, and a crash while writing must leave the previous file whole.
 */
final class CityJsonFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CITY_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Path dir;
    private final String suffix;
    private final String what;

    /** @param what what the files hold, for error messages ("the publication") */
    CityJsonFiles(Path dir, String suffix, String what) {
        this.dir = dir;
        this.suffix = suffix;
        this.what = what;
    }

    <T> Optional<T> load(String city, Function<JsonNode, T> fromJson) {
        Path file = file(city);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(fromJson.apply(JSON.readTree(file.toFile())));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + what + " of " + city + " from " + file, e);
        }
    }

    void save(String city, JsonNode json) {
        Path file = file(city);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, city + "-", ".tmp");
            JSON.writeValue(tmp.toFile(), json);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + what + " of " + city + " to " + file, e);
        }
    }

    private Path file(String city) {
        if (!CITY_ID.matcher(city).matches()) throw new IllegalArgumentException("not a city id: " + city);
        return dir.resolve(city + suffix);
    }
}
