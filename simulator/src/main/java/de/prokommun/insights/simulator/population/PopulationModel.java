package de.prokommun.insights.simulator.population;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.simulator.city.CityFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference structure of the population (population.json: age × sex, households, marital status) and
 * the behaviour parameters the generator needs (registration by age, consents, interests). Derives the
 * conditional distributions the generator samples from.
 */
public final class PopulationModel {

    /** The household types of the reference, in this order; SHARED is the Zensus "other" rest. */
    public static final List<HouseholdType> HOUSEHOLD_TYPES = List.of(HouseholdType.SINGLE, HouseholdType.COUPLE,
            HouseholdType.FAMILY, HouseholdType.SINGLE_PARENT, HouseholdType.SHARED);

    public record AgeGroup(int from, int to, int male, int female) {}
    public record RegistrationRate(int from, int to, double rate) {}
    /** An interest the simulated residents declare; its display names are city.json's "interests" (the city module). */
    public record Interest(String id) {}

    private static final String FILE = "population.json";

    private final List<AgeGroup> ageGroups;
    private final double[] householdShares;        // of households, per HOUSEHOLD_TYPES
    private final double[][] sizeDistribution;      // per type: person-weighted P(size = index)
    private final double[][] householdGivenAge;     // per age group
    private final double[] maritalShares;           // per MaritalStatus
    private final double[][] maritalGivenAgeHousehold; // row = ageGroup * types + household
    private final List<RegistrationRate> registrationRates;
    private final double unregisteredCardHolderRate;
    private final double consentAnalytics, consentOffers, consentNewsletter;
    private final double diverseShare, unknownGenderShare;
    private final List<Interest> interests;

    private PopulationModel(JsonNode root) {
        List<AgeGroup> groups = new ArrayList<>();
        for (JsonNode g : root.path("ageSex")) {
            groups.add(new AgeGroup(g.path("from").asInt(), g.path("to").asInt(),
                    g.path("male").asInt(), g.path("female").asInt()));
        }
        if (groups.isEmpty()) throw new IllegalArgumentException(FILE + ": 'ageSex' must not be empty");
        this.ageGroups = List.copyOf(groups);

        int t = HOUSEHOLD_TYPES.size();
        householdShares = new double[t];
        sizeDistribution = new double[t][];
        double[] personsPerType = new double[t];
        for (int h = 0; h < t; h++) {
            JsonNode node = root.path("households").path(HOUSEHOLD_TYPES.get(h).name());
            if (node.isMissingNode()) throw new IllegalArgumentException(FILE + ": households." + HOUSEHOLD_TYPES.get(h) + " is missing");
            householdShares[h] = node.path("households").asDouble();
            double[] perHousehold = new double[10];
            for (Map.Entry<String, JsonNode> e : iterable(node.path("sizes"))) perHousehold[Integer.parseInt(e.getKey())] = e.getValue().asDouble();
            double mean = 0, mass = 0;
            for (int k = 1; k < perHousehold.length; k++) { mean += k * perHousehold[k]; mass += perHousehold[k]; }
            mean /= mass;
            double[] perPerson = new double[perHousehold.length];
            // a household of size k has k members: persons see sizes weighted by k
            for (int k = 1; k < perHousehold.length; k++) perPerson[k] = k * perHousehold[k] / (mean * mass);
            sizeDistribution[h] = perPerson;
            personsPerType[h] = householdShares[h] * mean;
        }
        normalise(householdShares);
        normalise(personsPerType);

        double[] ageTotals = new double[groups.size()];
        for (int a = 0; a < groups.size(); a++) ageTotals[a] = groups.get(a).male() + groups.get(a).female();
        normalise(ageTotals);
        double[][] seed = new double[groups.size()][];
        for (int a = 0; a < groups.size(); a++) seed[a] = householdPrior(groups.get(a).from());
        householdGivenAge = Ipf.conditional(seed, ageTotals, personsPerType);

        MaritalStatus[] statuses = MaritalStatus.values();
        maritalShares = new double[statuses.length];
        for (int m = 0; m < statuses.length; m++) maritalShares[m] = root.path("maritalStatus").path(statuses[m].name()).asDouble();
        normalise(maritalShares);
        double[] rows = new double[groups.size() * t];
        double[][] mSeed = new double[rows.length][];
        for (int a = 0; a < groups.size(); a++) {
            for (int h = 0; h < t; h++) {
                rows[a * t + h] = ageTotals[a] * householdGivenAge[a][h];
                mSeed[a * t + h] = maritalPrior(groups.get(a).from(), HOUSEHOLD_TYPES.get(h));
            }
        }
        maritalGivenAgeHousehold = Ipf.conditional(mSeed, rows, maritalShares);

        List<RegistrationRate> rates = new ArrayList<>();
        for (JsonNode r : root.path("registrationRateByAge")) {
            rates.add(new RegistrationRate(r.path("from").asInt(), r.path("to").asInt(), r.path("rate").asDouble()));
        }
        registrationRates = List.copyOf(rates);
        unregisteredCardHolderRate = root.path("unregisteredCardHolderRate").asDouble(0);
        consentAnalytics = root.path("consents").path("analytics").asDouble();
        consentOffers = root.path("consents").path("offers").asDouble();
        consentNewsletter = root.path("consents").path("newsletter").asDouble();
        diverseShare = root.path("declaredGender").path("DIVERSE").asDouble(0);
        unknownGenderShare = root.path("declaredGender").path("UNKNOWN").asDouble(0);
        List<Interest> list = new ArrayList<>();
        for (JsonNode i : root.path("interests")) list.add(new Interest(i.asText()));
        interests = List.copyOf(list);
    }

    public static PopulationModel load(CityFiles files) {
        return new PopulationModel(files.read(FILE));
    }

    /**
     * Prior plausibility of living in each household type (SINGLE, COUPLE, FAMILY, SINGLE_PARENT, SHARED) by
     * age; IPF rescales it to the reference. Children never live alone or as a couple.
     */
    static double[] householdPrior(int ageFrom) {
        if (ageFrom < 18) return new double[] {0, 0, 0.80, 0.18, 0.02};
        if (ageFrom < 25) return new double[] {0.25, 0.10, 0.40, 0.10, 0.15};
        if (ageFrom < 35) return new double[] {0.30, 0.30, 0.30, 0.05, 0.05};
        if (ageFrom < 50) return new double[] {0.20, 0.15, 0.55, 0.08, 0.02};
        if (ageFrom < 65) return new double[] {0.25, 0.40, 0.28, 0.05, 0.02};
        if (ageFrom < 75) return new double[] {0.35, 0.60, 0.03, 0.01, 0.01};
        return new double[] {0.55, 0.42, 0.01, 0.01, 0.01};
    }

    /** Prior of SINGLE, MARRIED, DIVORCED, WIDOWED, OTHER by age and household; IPF fits it to the Zensus. */
    static double[] maritalPrior(int ageFrom, HouseholdType household) {
        double[] p;
        if (ageFrom < 18) return new double[] {1, 0, 0, 0, 0};
        else if (ageFrom < 25) p = new double[] {0.95, 0.05, 0, 0, 0.002};
        else if (ageFrom < 35) p = new double[] {0.60, 0.37, 0.02, 0.001, 0.01};
        else if (ageFrom < 50) p = new double[] {0.30, 0.58, 0.10, 0.005, 0.015};
        else if (ageFrom < 65) p = new double[] {0.15, 0.60, 0.17, 0.05, 0.02};
        else if (ageFrom < 75) p = new double[] {0.06, 0.62, 0.12, 0.18, 0.02};
        else p = new double[] {0.05, 0.45, 0.06, 0.43, 0.01};
        double married = switch (household) {
            case COUPLE, FAMILY -> 2.5;
            case SINGLE -> 0.15;
            case SINGLE_PARENT -> 0.1;
            default -> 0.3;
        };
        p[1] *= married;
        if (household == HouseholdType.COUPLE || household == HouseholdType.FAMILY) { p[2] *= 0.4; p[3] *= 0.2; }
        return p;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    private static void normalise(double[] a) {
        double s = Ipf.sum(a);
        if (s <= 0) throw new IllegalArgumentException(FILE + ": shares must not all be zero");
        for (int i = 0; i < a.length; i++) a[i] /= s;
    }

    public List<AgeGroup> ageGroups() { return ageGroups; }
    /** Reference share of households (not persons) per {@link #HOUSEHOLD_TYPES}. */
    public double[] householdShares() { return householdShares.clone(); }
    public double[] maritalShares() { return maritalShares.clone(); }
    double[] sizeDistribution(int household) { return sizeDistribution[household]; }
    double[] householdGivenAge(int ageGroup) { return householdGivenAge[ageGroup]; }
    double[] maritalGiven(int ageGroup, int household) { return maritalGivenAgeHousehold[ageGroup * HOUSEHOLD_TYPES.size() + household]; }
    public List<Interest> interests() { return interests; }
    public double unregisteredCardHolderRate() { return unregisteredCardHolderRate; }
    public double consentAnalytics() { return consentAnalytics; }
    public double consentOffers() { return consentOffers; }
    public double consentNewsletter() { return consentNewsletter; }
    public double diverseShare() { return diverseShare; }
    public double unknownGenderShare() { return unknownGenderShare; }

    public double registrationRate(int age) {
        for (RegistrationRate r : registrationRates) if (age >= r.from() && age <= r.to()) return r.rate();
        return 0;
    }

    public int ageGroupIndex(int age) {
        for (int i = 0; i < ageGroups.size(); i++) if (age >= ageGroups.get(i).from() && age <= ageGroups.get(i).to()) return i;
        return ageGroups.size() - 1;
    }
}
