package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.simulator.population.MaritalStatus;
import de.prokommun.insights.simulator.population.PopulationGenerator;
import de.prokommun.insights.simulator.population.PopulationModel;
import de.prokommun.insights.simulator.population.Resident;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated population against the real figures read from shared/data/reference (not from the
 * simulator's own copy): at 100,000 residents every share is within one percentage point.
 */
class PopulationTest {

    private static final double TOLERANCE = 0.01;
    private static final LocalDate REFERENCE_DATE = LocalDate.of(2020, 12, 31);
    private static final int RESIDENTS = 100_000;
    private static Resident[] residents;

    @BeforeAll
    static void generate() {
        residents = Musterstadt.load(ReferenceData.repositoryCityDir()).residents(7, RESIDENTS, REFERENCE_DATE);
    }

    @Test
    void ageGroupBySexSharesMatchMuelheim2020() {
        List<String[]> rows = ReferenceData.csv("city_age_sex_2020.csv").stream().filter(r -> r[0].equals("05117")).toList();
        assertThat(rows).hasSize(17);
        double total = rows.stream().mapToDouble(r -> Double.parseDouble(r[6])).sum();
        for (String[] row : rows) {
            int[] ages = ageRange(row[3]);
            for (boolean male : new boolean[] {true, false}) {
                double reference = Double.parseDouble(male ? row[4] : row[5]) / total;
                long count = 0;
                for (Resident r : residents) {
                    int age = r.ageOn(REFERENCE_DATE);
                    if (r.male == male && age >= ages[0] && age <= ages[1]) count++;
                }
                double generated = (double) count / RESIDENTS;
                assertThat(generated).as("%s %s", row[3], male ? "male" : "female").isCloseTo(reference, within());
            }
        }
    }

    @Test
    void householdTypeSharesMatchZensus2022CountingHouseholdsNotPersons() {
        Map<String, Double> z = zensus();
        double total = z.get("households_total");
        double single = z.get("households_single_person"), couple = z.get("households_couple_no_children"),
                family = z.get("households_couple_with_children"), parent = z.get("households_single_parent");
        double[] reference = {single / total, couple / total, family / total, parent / total,
                (total - single - couple - family - parent) / total};
        double[] generated = PopulationGenerator.householdShares(residents);
        for (int i = 0; i < reference.length; i++) {
            assertThat(generated[i]).as("share of households %s", PopulationModel.HOUSEHOLD_TYPES.get(i)).isCloseTo(reference[i], within());
        }
        // persons are not households: far more persons than households live in families
        long inFamilies = java.util.Arrays.stream(residents).filter(r -> r.household == HouseholdType.FAMILY).count();
        assertThat((double) inFamilies / RESIDENTS).isGreaterThan(reference[2] + 0.1);
    }

    @Test
    void maritalStatusSharesMatchZensus2022() {
        Map<String, Double> z = zensus();
        Map<MaritalStatus, Double> reference = Map.of(MaritalStatus.SINGLE, z.get("marital_single_ledig"),
                MaritalStatus.MARRIED, z.get("marital_married"), MaritalStatus.DIVORCED, z.get("marital_divorced"),
                MaritalStatus.WIDOWED, z.get("marital_widowed"));
        for (var e : reference.entrySet()) {
            long n = java.util.Arrays.stream(residents).filter(r -> r.maritalStatus == e.getKey()).count();
            assertThat((double) n / RESIDENTS).as("marital status %s", e.getKey()).isCloseTo(e.getValue() / 100, within());
        }
    }

    @Test
    void householdsAndMaritalStatusArePlausibleForAge() {
        for (Resident r : residents) {
            int age = r.ageOn(REFERENCE_DATE);
            if (age < 18) {
                assertThat(r.household).as("child %s", r.ref).isIn(HouseholdType.FAMILY, HouseholdType.SINGLE_PARENT, HouseholdType.SHARED);
                assertThat(r.maritalStatus).isEqualTo(MaritalStatus.SINGLE);
            }
            if (r.household == HouseholdType.SINGLE) assertThat(r.householdSize).isEqualTo(1);
            if (r.household == HouseholdType.FAMILY) assertThat(r.householdSize).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void registrationRatesDifferByAge() {
        for (Resident r : residents) {
            if (r.registerDay >= 0) assertThat(r.ageAt(r.registerDay)).as("age of %s at registration", r.ref).isGreaterThanOrEqualTo(14);
        }
        double adults = registeredShare(25, 34), oldest = registeredShare(80, 120);
        assertThat(adults).isBetween(0.58, 0.66);
        assertThat(oldest).isBetween(0.11, 0.19);
        assertThat(java.util.Arrays.stream(residents).filter(r -> r.analytics).count() / (double) RESIDENTS).isCloseTo(0.85, within());
    }

    private static double registeredShare(int from, int to) {
        long n = 0, registered = 0;
        for (Resident r : residents) {
            int age = r.ageOn(REFERENCE_DATE);
            if (age < from || age > to) continue;
            n++;
            if (r.registerDay >= 0) registered++; // eventually: a wave at launch, the rest over the following years
        }
        return (double) registered / n;
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(TOLERANCE);
    }

    private static Map<String, Double> zensus() {
        Map<String, Double> m = new HashMap<>();
        for (String[] r : ReferenceData.csv("muelheim_zensus2022_households.csv")) {
            String v = !r[2].isBlank() ? r[2] : r[1];
            if (!v.isBlank()) m.put(r[0], Double.parseDouble(v));
        }
        // households_* rows carry both a count and a share: use the counts
        for (String[] r : ReferenceData.csv("muelheim_zensus2022_households.csv")) {
            if (r[0].startsWith("households") && !r[1].isBlank()) m.put(r[0], Double.parseDouble(r[1]));
        }
        return m;
    }

    /** "unter 3 Jahre" → 0..2, "10 bis unter 15 Jahre" → 10..14, "75 Jahre und mehr" → 75..150 */
    static int[] ageRange(String label) {
        Matcher under = Pattern.compile("^unter (\\d+) Jahre$").matcher(label);
        if (under.matches()) return new int[] {0, Integer.parseInt(under.group(1)) - 1};
        Matcher range = Pattern.compile("^(\\d+) bis unter (\\d+) Jahre$").matcher(label);
        if (range.matches()) return new int[] {Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2)) - 1};
        Matcher open = Pattern.compile("^(\\d+) Jahre und mehr$").matcher(label);
        if (open.matches()) return new int[] {Integer.parseInt(open.group(1)), 150};
        throw new IllegalArgumentException("unknown age group label " + label);
    }
}
