package de.prokommun.insights.simulator.population;

import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.simulator.city.Behaviour;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the inhabitants of the synthetic city from the reference structure.
 *
 * <p>Age × sex: each resident draws a cell of the city's reference table (population.json "ageSex") with probability equal to
 * its share, then an age within the group and a birth date. Household: the reference (Zensus 2022) counts
 * households, but we generate persons. Each person draws the type of household they live in from
 * P(type | age group) — fitted by IPF so that persons per type equal households × mean size — and the
 * size of that household from the person-weighted size distribution. The number of households of a type
 * is then the sum of 1/size over its members, which matches the household shares of the reference
 * ({@link #householdShares}). Marital status is drawn from P(status | age group, household), fitted to the
 * Zensus shares of persons.
 */
public final class PopulationGenerator {

    private static final int FIRST_CARD = 10_000_000;
    private static final int SECOND_CARD = 30_000_000;

    private final PopulationModel model;
    private final int districts;
    private final Behaviour behaviour;

    public PopulationGenerator(PopulationModel model, int districts, Behaviour behaviour) {
        this.model = model;
        this.districts = districts;
        this.behaviour = behaviour;
    }

    /** The random stream of resident {@code index} under {@code seed}: independent of the other residents. */
    public static SplittableRandom residentRandom(long seed, int index) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index + 1));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** {@code n} residents as they are on {@code referenceDate} (the start of the simulated period). */
    public Resident[] generate(long seed, int n, LocalDate referenceDate) {
        if (n < 1) throw new IllegalArgumentException("residents must be at least 1, got " + n);
        double[] cells = ageSexCells();
        Resident[] residents = new Resident[n];
        for (int i = 0; i < n; i++) residents[i] = draw(seed, i, cells, referenceDate.toEpochDay());
        return residents;
    }

    private double[] ageSexCells() {
        List<PopulationModel.AgeGroup> groups = model.ageGroups();
        double[] cum = new double[groups.size() * 2];
        double total = 0;
        for (int g = 0; g < groups.size(); g++) {
            total += groups.get(g).male();
            cum[2 * g] = total;
            total += groups.get(g).female();
            cum[2 * g + 1] = total;
        }
        for (int i = 0; i < cum.length; i++) cum[i] /= total;
        return cum;
    }

    private Resident draw(long seed, int index, double[] cells, long refDay) {
        SplittableRandom rng = residentRandom(seed, index);
        int cell = pickCumulative(cells, rng.nextDouble());
        int group = cell / 2;
        boolean male = cell % 2 == 0;
        PopulationModel.AgeGroup g = model.ageGroups().get(group);
        int age = g.from() + (g.to() > 90
                ? (int) ((g.to() - g.from() + 1) * (1 - Math.sqrt(rng.nextDouble())))  // the open top group thins out with age
                : rng.nextInt(g.to() - g.from() + 1));
        long birth = LocalDate.ofEpochDay(refDay).minusYears(age).toEpochDay() - rng.nextInt(365);

        int h = pick(model.householdGivenAge(group), rng.nextDouble());
        int size = pick(model.sizeDistribution(h), rng.nextDouble());
        MaritalStatus marital = MaritalStatus.values()[pick(model.maritalGiven(group, h), rng.nextDouble())];

        Resident r = new Resident(index, male, birth, marital, rng);
        r.household = PopulationModel.HOUSEHOLD_TYPES.get(h);
        r.householdSize = size;
        r.district = rng.nextInt(districts);
        double u = rng.nextDouble();
        r.declaredGender = u < model.diverseShare() ? Gender.DIVERSE
                : u < model.diverseShare() + model.unknownGenderShare() ? Gender.UNKNOWN : male ? Gender.MALE : Gender.FEMALE;
        r.interests = drawInterests(rng, age, male, r.household);
        r.analytics = rng.nextDouble() < model.consentAnalytics();
        r.offers = r.analytics && rng.nextDouble() < model.consentOffers() / model.consentAnalytics();
        r.newsletter = rng.nextDouble() < model.consentNewsletter();
        r.activity = 0.35 + 1.3 * rng.nextDouble() * rng.nextDouble() * 2; // skewed: a few very active shoppers
        planRegistration(r, age, refDay);
        return r;
    }

    /** Who registers when, and from when someone holds a card; independent of the length of the period. */
    private void planRegistration(Resident r, int age, long refDay) {
        SplittableRandom rng = r.rng;
        if (age < 14) {
            long turns14 = LocalDate.ofEpochDay(r.birthEpochDay).plusYears(14).toEpochDay();
            if (rng.nextDouble() < model.registrationRate(14)) r.registerDay = turns14 + exponentialDays(rng, 180);
        } else if (rng.nextDouble() < model.registrationRate(age)) {
            r.registerDay = rng.nextDouble() < 0.55 ? refDay + rng.nextInt(14) : refDay + 14 + exponentialDays(rng, 365);
        }
        if (r.registerDay >= 0) {
            boolean earlyCard = rng.nextDouble() < 0.25;
            r.cardFromDay = earlyCard ? Math.min(r.registerDay, refDay + rng.nextInt(30)) : r.registerDay;
            r.cards.add(card(FIRST_CARD, r.index));
            if (rng.nextDouble() < 0.08) r.cards.add(card(SECOND_CARD, r.index));
        } else if (age >= 16 && rng.nextDouble() < model.unregisteredCardHolderRate()) {
            r.cardFromDay = refDay + rng.nextInt(30);
            r.cards.add(card(FIRST_CARD, r.index));
        }
    }

    private static String card(int base, int index) {
        return String.format("C-%08d", base + index);
    }

    private static long exponentialDays(SplittableRandom rng, double mean) {
        return (long) (-mean * Math.log(1 - rng.nextDouble()));
    }

    private int drawInterests(SplittableRandom rng, int age, boolean male, HouseholdType household) {
        int mask = 0;
        List<PopulationModel.Interest> interests = model.interests();
        for (int i = 0; i < interests.size() && i < 31; i++) {
            if (rng.nextDouble() < behaviour.interestLikelihood(interests.get(i).id(), age, male, household)) mask |= 1 << i;
        }
        return mask;
    }

    static int pick(double[] probabilities, double u) {
        double acc = 0;
        int last = -1;
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] <= 0) continue;
            acc += probabilities[i];
            last = i;
            if (u < acc) return i;
        }
        return last;
    }

    private static int pickCumulative(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length; i++) if (u < cumulative[i]) return i;
        return cumulative.length - 1;
    }

    /**
     * Shares of households per {@link PopulationModel#HOUSEHOLD_TYPES}: each member of a household of size k
     * counts 1/k of it.
     */
    public static double[] householdShares(Resident[] residents) {
        double[] households = new double[PopulationModel.HOUSEHOLD_TYPES.size()];
        for (Resident r : residents) households[PopulationModel.HOUSEHOLD_TYPES.indexOf(r.household)] += 1.0 / r.householdSize;
        double total = Ipf.sum(households);
        for (int i = 0; i < households.length; i++) households[i] /= total;
        return households;
    }
}
