package de.prokommun.insights.simulator.economy;

import de.prokommun.insights.simulator.city.Behaviour;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.city.Taxonomy;
import de.prokommun.insights.simulator.population.Persona;
import de.prokommun.insights.simulator.population.PopulationModel;
import java.util.List;

/**
 * Persona- and interest-dependent preferences for taxonomy categories (the city's behaviour.json), and from them
 * for participants and product groups. Precomputed into arrays so the hot path of the generator does no lookups by name.
 */
final class Preferences {

    private final List<Taxonomy.Category> leaves;
    private final double[][] personaLeaf;     // [persona][leaf]
    private final double[][] interestLeaf;    // [interest][leaf] multiplier
    final int[][] groupLeaf;                  // [participant][group] -> leaf index

    Preferences(Taxonomy taxonomy, PopulationModel population, Behaviour behaviour, List<SimParticipant> businesses) {
        leaves = taxonomy.leaves();
        Persona[] personas = Persona.values();
        personaLeaf = new double[personas.length][leaves.size()];
        for (Persona p : personas) {
            for (int l = 0; l < leaves.size(); l++) {
                Taxonomy.Category c = leaves.get(l);
                // the persona's weight of the leaf's top level times that of the leaf itself (behaviour.json)
                double w = behaviour.preference(p, c.parentId());
                w *= behaviour.preference(p, c.id());
                personaLeaf[p.ordinal()][l] = w;
            }
        }
        List<PopulationModel.Interest> interests = population.interests();
        interestLeaf = new double[interests.size()][leaves.size()];
        for (int i = 0; i < interests.size(); i++) {
            List<String> boosted = behaviour.interestCategories(interests.get(i).id());
            for (int l = 0; l < leaves.size(); l++) {
                Taxonomy.Category c = leaves.get(l);
                interestLeaf[i][l] = boosted.contains(c.id()) || boosted.contains(c.parentId()) ? behaviour.interestBoost() : 1.0;
            }
        }
        groupLeaf = new int[businesses.size()][];
        for (SimParticipant p : businesses) {
            int[] g = new int[p.productGroups().size()];
            for (int j = 0; j < g.length; j++) g[j] = leafIndex(p.productGroups().get(j).category());
            groupLeaf[p.index()] = g;
        }
    }

    private int leafIndex(String id) {
        for (int l = 0; l < leaves.size(); l++) if (leaves.get(l).id().equals(id)) return l;
        throw new IllegalArgumentException("category " + id + " is not a taxonomy leaf");
    }

    double leaf(Persona persona, int interests, int leaf) {
        double w = personaLeaf[persona.ordinal()][leaf];
        for (int bits = interests; bits != 0; bits &= bits - 1) {
            int i = Integer.numberOfTrailingZeros(bits);
            if (i < interestLeaf.length) w *= interestLeaf[i][leaf];
        }
        return w;
    }

    /** How much a person likes a participant's assortment: the mean preference over its product groups. */
    double participant(Persona persona, int interests, SimParticipant p) {
        int[] g = groupLeaf[p.index()];
        if (g.length == 0) return 0;
        double s = 0;
        for (int leaf : g) s += leaf(persona, interests, leaf);
        return s / g.length;
    }

    String leafId(int leaf) { return leaves.get(leaf).id(); }
}
