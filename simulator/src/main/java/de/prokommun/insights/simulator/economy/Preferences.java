package de.prokommun.insights.simulator.economy;

import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.city.Taxonomy;
import de.prokommun.insights.simulator.population.Persona;
import de.prokommun.insights.simulator.population.PopulationModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Persona- and interest-dependent preferences for taxonomy categories, and from them for participants
 * and product groups. Precomputed into arrays so the hot path of the generator does no lookups by name.
 */
final class Preferences {

    private static final String[] TOP = {"lebensmittel", "drogerie", "mode", "wohnen", "freizeit", "gastronomie",
            "dienstleistungen", "kultur", "vereine"};
    private static final double[][] PERSONA_TOP = {
            // lebensm drog  mode  wohnen freiz gastro dienst kultur vereine
            {0.6, 0.8, 1.5, 0.2, 1.8, 1.5, 0.5, 1.5, 1.5},   // TEENAGER
            {0.9, 1.0, 1.4, 0.6, 1.3, 1.6, 0.8, 1.3, 0.8},   // YOUNG_ADULT
            {1.0, 1.0, 1.0, 0.8, 1.0, 1.3, 1.0, 1.0, 0.7},   // SINGLE
            {1.1, 1.0, 1.0, 1.2, 0.9, 1.2, 1.0, 1.1, 0.8},   // COUPLE
            {1.4, 1.3, 1.1, 1.0, 1.4, 0.8, 0.8, 0.8, 1.2},   // FAMILY
            {1.1, 1.0, 1.0, 1.4, 0.8, 1.0, 1.2, 1.2, 1.0},   // BEST_AGER
            {1.2, 1.2, 0.7, 1.2, 0.6, 0.8, 1.3, 1.1, 0.9}};  // SENIOR
    private static final Map<Persona, Map<String, Double>> PERSONA_LEAF = Map.of(
            Persona.FAMILY, Map.of("drogerie.baby", 4.0, "mode.kinder", 4.0, "freizeit.spielwaren", 3.0),
            Persona.TEENAGER, Map.of("lebensmittel.suesswaren-snacks", 2.0, "kultur.kino", 2.0, "gastronomie.imbiss", 1.8),
            Persona.SENIOR, Map.of("drogerie.gesundheit", 2.0, "dienstleistungen.optik-hoerakustik", 2.0, "gastronomie.cafe", 1.6),
            Persona.YOUNG_ADULT, Map.of("gastronomie.bar-kneipe", 2.0, "gastronomie.imbiss", 1.5, "lebensmittel.wein-spirituosen", 1.3));
    private static final Map<String, List<String>> INTEREST_CATEGORIES = new HashMap<>();
    static {
        INTEREST_CATEGORIES.put("sport", List.of("freizeit.sport-outdoor", "vereine"));
        INTEREST_CATEGORIES.put("kultur", List.of("kultur.theater", "kultur.museum", "kultur.fuehrung-kurs"));
        INTEREST_CATEGORIES.put("musik", List.of("kultur.konzert"));
        INTEREST_CATEGORIES.put("kulinarik", List.of("gastronomie.restaurant", "lebensmittel.feinkost-bio", "lebensmittel.wein-spirituosen"));
        INTEREST_CATEGORIES.put("mode", List.of("mode"));
        INTEREST_CATEGORIES.put("familie", List.of("freizeit.spielwaren", "mode.kinder"));
        INTEREST_CATEGORIES.put("garten", List.of("wohnen.blumen-pflanzen", "wohnen.garten-heimwerk"));
        INTEREST_CATEGORIES.put("lesen", List.of("freizeit.buecher-zeitschriften"));
        INTEREST_CATEGORIES.put("technik", List.of("freizeit.elektronik"));
        INTEREST_CATEGORIES.put("gesundheit", List.of("drogerie.gesundheit", "dienstleistungen.kosmetik-wellness"));
        INTEREST_CATEGORIES.put("nachhaltigkeit", List.of("lebensmittel.feinkost-bio", "lebensmittel.obst-gemuese"));
        INTEREST_CATEGORIES.put("brauchtum", List.of("vereine.fest"));
        INTEREST_CATEGORIES.put("radfahren", List.of("freizeit.fahrrad"));
    }
    private static final double INTEREST_BOOST = 1.8;

    private final List<Taxonomy.Category> leaves;
    private final double[][] personaLeaf;     // [persona][leaf]
    private final double[][] interestLeaf;    // [interest][leaf] multiplier
    final int[][] groupLeaf;                  // [participant][group] -> leaf index

    Preferences(Taxonomy taxonomy, PopulationModel population, List<SimParticipant> businesses) {
        leaves = taxonomy.leaves();
        Persona[] personas = Persona.values();
        personaLeaf = new double[personas.length][leaves.size()];
        for (Persona p : personas) {
            for (int l = 0; l < leaves.size(); l++) {
                Taxonomy.Category c = leaves.get(l);
                double w = PERSONA_TOP[p.ordinal()][topIndex(c.parentId())];
                w *= PERSONA_LEAF.getOrDefault(p, Map.of()).getOrDefault(c.id(), 1.0);
                personaLeaf[p.ordinal()][l] = w;
            }
        }
        List<PopulationModel.Interest> interests = population.interests();
        interestLeaf = new double[interests.size()][leaves.size()];
        for (int i = 0; i < interests.size(); i++) {
            List<String> boosted = INTEREST_CATEGORIES.getOrDefault(interests.get(i).id(), List.of());
            for (int l = 0; l < leaves.size(); l++) {
                Taxonomy.Category c = leaves.get(l);
                interestLeaf[i][l] = boosted.contains(c.id()) || boosted.contains(c.parentId()) ? INTEREST_BOOST : 1.0;
            }
        }
        groupLeaf = new int[businesses.size()][];
        for (SimParticipant p : businesses) {
            int[] g = new int[p.productGroups().size()];
            for (int j = 0; j < g.length; j++) g[j] = leafIndex(p.productGroups().get(j).category());
            groupLeaf[p.index()] = g;
        }
    }

    private static int topIndex(String top) {
        for (int i = 0; i < TOP.length; i++) if (TOP[i].equals(top)) return i;
        return 0; // a top-level category added later counts as neutral groceries-like
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
