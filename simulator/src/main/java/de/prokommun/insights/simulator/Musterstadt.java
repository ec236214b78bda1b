package de.prokommun.insights.simulator;

import de.prokommun.insights.simulator.city.CityFiles;
import java.nio.file.Path;

/**
 * The first synthetic city, shaped like Mülheim an der Ruhr: {@link SimCity} loaded from cities/musterstadt. Kept as a
 * named entry point for the benchmarks and tests that simulate "the" city; it holds no behaviour of its own — the
 * simulator reads everything from the city's files, and any other city (cities/jena) is a {@link SimCity#load(String)}.
 */
public final class Musterstadt extends SimCity {

    public static final String CITY = "musterstadt";

    private Musterstadt(SimCity loaded) {
        super(loaded);
    }

    /** The city files packaged in the simulator jar (copied from cities/musterstadt at build time). */
    public static Musterstadt load() {
        return new Musterstadt(SimCity.load(CITY));
    }

    /** The city files of a directory such as {@code cities/musterstadt}. */
    public static Musterstadt load(Path cityDir) {
        return new Musterstadt(SimCity.load(cityDir));
    }

    public static Musterstadt load(CityFiles files) {
        return new Musterstadt(SimCity.load(files));
    }
}
