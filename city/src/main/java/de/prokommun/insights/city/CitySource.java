package de.prokommun.insights.city;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where one city's files come from: a directory such as {@code cities/jena}, or the classpath of a jar that carries
 * the same files under {@code cities/<city>/} (the simulator's jar). {@link CityFiles} reads either the same way;
 * tools read their own files of the directory (population.json, behaviour.json) through it too.
 */
public abstract class CitySource {

    private CitySource() {}

    /** The directory's name, which must be the city id of its city.json. */
    public abstract String name();

    /** The file's bytes, or empty when the city has no such file. */
    abstract Optional<InputStream> open(String fileName) throws IOException;

    /** How errors name the file: {@code jena/city.json}. */
    String describe(String fileName) {
        return name() + "/" + fileName;
    }

    public static CitySource directory(Path dir) {
        Path normalised = dir.toAbsolutePath().normalize();
        return new CitySource() {
            @Override
            public String name() {
                return normalised.getFileName().toString();
            }

            @Override
            Optional<InputStream> open(String fileName) throws IOException {
                Path file = dir.resolve(fileName);
                return Files.isRegularFile(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
            }

            @Override
            public String toString() {
                return dir.toString();
            }
        };
    }

    /** The files of city {@code city} under {@code cities/<city>/} of the class path of {@code loader}. */
    public static CitySource classpath(String city, ClassLoader loader) {
        if (!CityFiles.isCityId(city)) throw new CityFileException("city id '" + city + "' is not a lower-case id");
        return new CitySource() {
            @Override
            public String name() {
                return city;
            }

            @Override
            Optional<InputStream> open(String fileName) {
                return Optional.ofNullable(loader.getResourceAsStream(describe(fileName)));
            }

            @Override
            String describe(String fileName) {
                return "cities/" + city + "/" + fileName;
            }

            @Override
            public String toString() {
                return "classpath:cities/" + city;
            }
        };
    }
}
