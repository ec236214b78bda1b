package de.prokommun.insights.simulator;

import de.prokommun.insights.simulator.city.Behaviour;
import de.prokommun.insights.simulator.city.CityFiles;
import de.prokommun.insights.simulator.city.CityModel;
import de.prokommun.insights.simulator.city.ParticipantCatalogue;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.city.Taxonomy;
import de.prokommun.insights.simulator.economy.EventStream;
import de.prokommun.insights.simulator.population.PopulationGenerator;
import de.prokommun.insights.simulator.population.PopulationModel;
import de.prokommun.insights.simulator.population.Resident;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A synthetic city: its configuration files (cities/&lt;city&gt;/: city.json, taxonomy.json,
 * participants-catalogue.json, population.json, behaviour.json) and the entry points to generate residents and
 * events. Everything city-specific — districts, shops, categories, age × sex, interests, clubs — comes from those
 * files; the same code simulates Musterstadt and Jena. Deterministic: the same seed, size and period give a
 * byte-identical event stream.
 */
public class SimCity {

    private final CityModel city;
    private final Taxonomy taxonomy;
    private final ParticipantCatalogue participants;
    private final PopulationModel population;
    private final Behaviour behaviour;

    public SimCity(CityModel city, Taxonomy taxonomy, ParticipantCatalogue participants, PopulationModel population,
                   Behaviour behaviour) {
        this.city = city;
        this.taxonomy = taxonomy;
        this.participants = participants;
        this.population = population;
        Set<String> kinds = participants.businesses().stream().map(SimParticipant::kind).collect(Collectors.toSet());
        this.behaviour = behaviour.checkedAgainst(
                population.interests().stream().map(PopulationModel.Interest::id).toList(), taxonomy, kinds);
    }

    protected SimCity(SimCity other) {
        this(other.city, other.taxonomy, other.participants, other.population, other.behaviour);
    }

    /** The files of city {@code cityId} packaged in the simulator jar (copied from cities/ at build time). */
    public static SimCity load(String cityId) {
        return load(CityFiles.classpath(cityId));
    }

    /** The city files of a directory such as {@code cities/jena}. */
    public static SimCity load(Path cityDir) {
        return load(CityFiles.directory(cityDir));
    }

    public static SimCity load(CityFiles files) {
        CityModel city = CityModel.load(files);
        Taxonomy taxonomy = Taxonomy.load(files);
        return new SimCity(city, taxonomy, ParticipantCatalogue.load(files, taxonomy, city), PopulationModel.load(files),
                Behaviour.load(files));
    }

    public CityModel city() { return city; }
    public Taxonomy taxonomy() { return taxonomy; }
    public ParticipantCatalogue participants() { return participants; }
    public PopulationModel populationModel() { return population; }
    public Behaviour behaviour() { return behaviour; }

    /** The inhabitants as they are on {@code referenceDate}. */
    public Resident[] residents(long seed, int residents, LocalDate referenceDate) {
        return new PopulationGenerator(population, city.districts().size(), behaviour).generate(seed, residents, referenceDate);
    }

    /**
     * The events of {@code residents} inhabitants from {@code from} (inclusive, the portal's launch: the
     * registration wave starts here) to {@code to} (exclusive), ordered by event time. The stream for a
     * shorter period is a prefix of the stream for a longer one.
     */
    public EventStream generate(long seed, int residents, Instant from, Instant to) {
        return new EventStream(this, seed, residents, from, to, "s" + seed);
    }

    /** As {@link #generate(long, int, Instant, Instant)}, with event ids "{idPrefix}-{n}" instead of "s{seed}-{n}". */
    public EventStream generate(long seed, int residents, Instant from, Instant to, String idPrefix) {
        return new EventStream(this, seed, residents, from, to, idPrefix);
    }

    /** Convenience: {@link #generate} as a plain iterator. */
    public Iterator<SimEvent> events(long seed, int residents, Instant from, Instant to) {
        return generate(seed, residents, from, to);
    }
}
