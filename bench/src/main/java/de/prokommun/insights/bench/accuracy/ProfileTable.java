package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.publication.CubeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The profiles table of one city in memory, standing in for Pinot so that the accuracy benchmark needs no cluster:
 * it answers the publication's GROUP BY queries ({@link CubeSource}, read by the real {@code StatisticsOffice}) and
 * counts the true size of any demographic audience. Only current profiles are kept (a deleted row counts nowhere,
 * as {@code deleted = false} in every query of the service).
 *
 * <p>It understands exactly the shape the publication sends — {@code SELECT c1, ..., cN, COUNT(*) FROM t WHERE
 * city = '...' AND deleted = false [AND interests IN (...)] [AND lastPurchaseDay >= d] GROUP BY c1, ..., cN LIMIT n}
 * — with Pinot's semantics
 * for multi-value columns (and a profile without purchases below every day, as Pinot's null INT is): a row is grouped once under each of its values, under {@code "null"} when it has none,
 * and {@code col IN (...)} holds when any value is listed. Anything else is refused rather than guessed, so a
 * change of the publication's queries shows up here as an error, not as silently wrong truth.
 */
public final class ProfileTable implements CubeSource {

    /** Pinot's default null value of a string column: what an empty multi-value column groups under. */
    static final String NO_VALUE = "null";
    private static final Pattern SHAPE = Pattern.compile(
            "SELECT (.+), COUNT\\(\\*\\) FROM \\w+ WHERE city = '([^']*)' AND deleted = false"
                    + "(?: AND interests IN \\(([^)]*)\\))?(?: AND lastPurchaseDay >= (-?\\d+))? GROUP BY (.+) LIMIT \\d+");
    private static final Set<String> MULTI_VALUE = Set.of("personas", "interests");

    /** One current profile, reduced to what audiences and the published cube can ask about. */
    public record Profile(int age, String ageBand, String gender, String district, String householdType,
                          List<String> personas, List<String> interests, boolean consentOffers,
                          Integer lastPurchaseDay) {
        public Profile {
            personas = List.copyOf(personas);
            interests = List.copyOf(interests);
        }

        List<String> values(String column) {
            return switch (column) {
                case "ageBand" -> single(ageBand);
                case "gender" -> single(gender);
                case "district" -> single(district);
                case "householdType" -> single(householdType);
                case "personas" -> personas.isEmpty() ? List.of(NO_VALUE) : personas;
                case "interests" -> interests.isEmpty() ? List.of(NO_VALUE) : interests;
                default -> throw new IllegalArgumentException("the in-memory table has no column " + column);
            };
        }

        private static List<String> single(String value) {
            return List.of(value == null ? NO_VALUE : value);
        }
    }

    private final String city;
    private final List<Profile> profiles;

    public ProfileTable(String city, List<Profile> profiles) {
        this.city = city;
        this.profiles = List.copyOf(profiles);
    }

    /** The current (not deleted) rows of one city, as the profile job writes them. */
    public static ProfileTable of(String city, List<ProfileRow> rows) {
        List<Profile> profiles = new ArrayList<>(rows.size());
        for (ProfileRow r : rows) {
            if (r.getDeleted() || !city.equals(r.getCity())) continue;
            profiles.add(new Profile(r.getAge() == null ? -1 : r.getAge(), r.getAgeBand(), r.getGender(),
                    r.getDistrict(), r.getHouseholdType(), r.getPersonas(), r.getInterests(), r.getConsentOffers(),
                    r.getLastPurchaseDay()));
        }
        return new ProfileTable(city, profiles);
    }

    /** The current profiles (the synthetic buyers are drawn for them). */
    public List<Profile> profiles() {
        return profiles;
    }

    public int size() {
        return profiles.size();
    }

    @Override
    public Map<List<String>, Long> countsPerGroup(String sql, int groupColumns) {
        Matcher m = SHAPE.matcher(sql);
        if (!m.matches()) throw new IllegalArgumentException("the in-memory table does not understand: " + sql);
        List<String> selected = columns(m.group(1));
        List<String> grouped = columns(m.group(5));
        if (!selected.equals(grouped) || grouped.size() != groupColumns) {
            throw new IllegalArgumentException("selected and grouped columns differ: " + sql);
        }
        Map<List<String>, Long> counts = new HashMap<>();
        if (!m.group(2).equals(city)) return counts;
        Set<String> interestsIn = m.group(3) == null ? null : literals(m.group(3));
        Long boughtSince = m.group(4) == null ? null : Long.parseLong(m.group(4));
        for (Profile p : profiles) {
            if (interestsIn != null && p.interests().stream().noneMatch(interestsIn::contains)) continue;
            if (boughtSince != null && (p.lastPurchaseDay() == null || p.lastPurchaseDay() < boughtSince)) continue;
            group(p, grouped, 0, new ArrayList<>(), counts);
        }
        return counts;
    }

    /** Every combination of the row's values (one per multi-value entry), as Pinot groups a multi-value column. */
    private static void group(Profile p, List<String> columns, int i, List<String> key, Map<List<String>, Long> counts) {
        if (i == columns.size()) {
            counts.merge(List.copyOf(key), 1L, Long::sum);
            return;
        }
        for (String v : p.values(columns.get(i))) {
            key.add(v);
            group(p, columns, i + 1, key, counts);
            key.remove(key.size() - 1);
        }
    }

    /**
     * The true size of a demographic audience, with the service's SQL semantics: an age range on the age in
     * years (bounds inclusive), any of the listed values per dimension (personas and interests: any held).
     */
    public long count(AudienceFilter f) {
        if (f.boughtCategory() != null || f.customerOf() != null || f.activeWithinDays() != null) {
            throw new IllegalArgumentException("the in-memory table holds demographics only: " + f);
        }
        long n = 0;
        for (Profile p : profiles) if (matches(f, p)) n++;
        return n;
    }

    static boolean matches(AudienceFilter f, Profile p) {
        if (f.hasAgeRange() && (p.age() < f.ageFromOrMin() || p.age() > f.ageToOrMax())) return false;
        if (!f.genders().isEmpty() && !f.genders().contains(p.gender())) return false;
        if (!f.districts().isEmpty() && !f.districts().contains(p.district())) return false;
        if (!f.householdTypes().isEmpty() && !f.householdTypes().contains(p.householdType())) return false;
        if (!f.personas().isEmpty() && p.personas().stream().noneMatch(f.personas()::contains)) return false;
        if (!f.interests().isEmpty() && p.interests().stream().noneMatch(f.interests()::contains)) return false;
        return !f.consentOffers() || p.consentOffers();
    }

    private static List<String> columns(String text) {
        List<String> columns = new ArrayList<>();
        for (String c : text.split(",")) {
            String column = c.trim();
            if (!MULTI_VALUE.contains(column) && !Set.of("ageBand", "gender", "district", "householdType").contains(column)) {
                throw new IllegalArgumentException("the in-memory table has no column " + column);
            }
            columns.add(column);
        }
        return columns;
    }

    private static Set<String> literals(String list) {
        Set<String> values = new java.util.HashSet<>();
        for (String part : list.split(",")) {
            String v = part.trim();
            if (!v.startsWith("'") || !v.endsWith("'")) throw new IllegalArgumentException("not a string literal: " + v);
            values.add(v.substring(1, v.length() - 1).replace("''", "'"));
        }
        return values;
    }
}
