package de.prokommun.insights.flink.city;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** The city's age bands (from city.json "ageBands"): which band an age falls into and when it changes. */
public final class AgeBands implements Serializable {
    private static final long serialVersionUID = 1L;

    public record Band(String name, int from, int to) implements Serializable {
        public Band {
            if (from > to) throw new IllegalArgumentException("age band " + name + ": from " + from + " > to " + to);
        }
    }

    private final List<Band> bands;

    public AgeBands(List<Band> bands) {
        List<Band> sorted = new ArrayList<>(bands);
        sorted.sort((a, b) -> Integer.compare(a.from(), b.from()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).from() <= sorted.get(i - 1).to()) {
                throw new IllegalArgumentException("age bands " + sorted.get(i - 1).name() + " and "
                        + sorted.get(i).name() + " overlap");
            }
        }
        this.bands = List.copyOf(sorted);
    }

    public List<Band> bands() { return bands; }

    /** The band's name, or null for an age outside every band. */
    public String bandOf(int age) {
        for (Band b : bands) {
            if (age >= b.from() && age <= b.to()) return b.name();
        }
        return null;
    }

    /** The smallest age above {@code age} at which the band changes (a band starts or ends). */
    public OptionalInt nextBoundaryAbove(int age) {
        int best = Integer.MAX_VALUE;
        for (Band b : bands) {
            if (b.from() > age) best = Math.min(best, b.from());
            if (b.to() + 1 > age) best = Math.min(best, b.to() + 1);
        }
        return best == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(best);
    }
}
