package de.prokommun.insights.simulator.city;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.participants.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The participants of a city (participants-catalogue.json): businesses and clubs of realistic kinds and sizes,
 * each with its own product groups mapped onto the taxonomy, plus the portal, the operator and the local
 * employers that credit employer vouchers.
 */
public final class ParticipantCatalogue {

    public record Employer(String id, String name, int weight) {}

    private static final String FILE = "participants-catalogue.json";

    private final List<SimParticipant> businesses;
    private final SimParticipant portal;
    private final SimParticipant operator;
    private final List<Employer> employers;
    private final Map<String, SimParticipant> byId = new LinkedHashMap<>();

    private ParticipantCatalogue(List<SimParticipant> businesses, SimParticipant portal, SimParticipant operator,
                                 List<Employer> employers) {
        this.businesses = List.copyOf(businesses);
        this.portal = portal;
        this.operator = operator;
        this.employers = List.copyOf(employers);
        for (SimParticipant p : all()) {
            if (byId.put(p.id(), p) != null) throw new IllegalArgumentException(FILE + ": duplicate participant id " + p.id());
        }
    }

    public static ParticipantCatalogue load(CityFiles files, Taxonomy taxonomy, CityModel city) {
        JsonNode root = files.read(FILE);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        root.path("sizes").fields().forEachRemaining(e -> sizes.put(e.getKey(), e.getValue().asInt()));
        Map<String, OpeningHours> hours = new LinkedHashMap<>();
        root.path("hours").fields().forEachRemaining(e -> hours.put(e.getKey(), hoursOf(e.getKey(), e.getValue())));
        JsonNode kinds = root.path("kinds");

        List<SimParticipant> businesses = new ArrayList<>();
        for (JsonNode p : root.path("participants")) {
            String id = CityFiles.text(p, "id", FILE);
            String kindName = CityFiles.text(p, "kind", FILE);
            JsonNode kind = kinds.get(kindName);
            if (kind == null) throw new IllegalArgumentException(FILE + ": participant " + id + " has unknown kind '" + kindName + "'");
            String postcode = CityFiles.text(p, "district", FILE);
            city.district(postcode);
            String size = CityFiles.text(p, "size", FILE);
            Integer weight = sizes.get(size);
            if (weight == null) throw new IllegalArgumentException(FILE + ": participant " + id + " has unknown size '" + size + "'");
            OpeningHours h = hours.get(CityFiles.text(kind, "hours", FILE));
            if (h == null) throw new IllegalArgumentException(FILE + ": kind " + kindName + " names unknown hours");
            JsonNode groupsNode = p.has("productGroups") ? p.get("productGroups") : kind.path("productGroups");
            List<ProductGroup> groups = new ArrayList<>();
            for (JsonNode g : groupsNode) {
                String category = CityFiles.text(g, "category", FILE);
                if (!taxonomy.contains(category) || taxonomy.get(category).isTopLevel()) {
                    throw new IllegalArgumentException(FILE + ": product group of " + id + " maps to '" + category
                            + "', which is not a second-level taxonomy category");
                }
                JsonNode price = g.path("price");
                groups.add(new ProductGroup(CityFiles.text(g, "group", FILE), category, price.path(0).asInt(), price.path(1).asInt()));
            }
            JsonNode lines = kind.path("lines");
            businesses.add(new SimParticipant(businesses.size(), id, CityFiles.text(p, "name", FILE), Role.PARTICIPANT,
                    kindName, kind.path("label").asText(kindName), CityFiles.text(kind, "sector", FILE), postcode, weight,
                    p.path("bonus").asBoolean(false), p.path("newsletter").asBoolean(false) ? id + "-newsletter" : null,
                    kind.path("checkIns").asBoolean(false), kind.path("club").asBoolean(false),
                    kind.path("voucherSystem").asBoolean(false), "summer".equals(kind.path("seasonal").asText()),
                    Math.max(1, lines.path(0).asInt(1)), Math.max(1, lines.path(1).asInt(1)), h, List.copyOf(groups)));
        }
        JsonNode portalNode = root.path("portal");
        SimParticipant portal = special(businesses.size(), portalNode, Role.PORTAL, city, hours);
        portal = new SimParticipant(portal.index(), portal.id(), portal.name(), Role.PORTAL, "portal", "Portal", "portal",
                portal.postcode(), 0, false, CityFiles.text(portalNode, "newsletter", FILE), false, false, false, false,
                1, 1, portal.hours(), List.of());
        SimParticipant operator = special(businesses.size() + 1, root.path("operator"), Role.OPERATOR, city, hours);

        List<Employer> employers = new ArrayList<>();
        for (JsonNode e : root.path("employers")) {
            employers.add(new Employer(CityFiles.text(e, "id", FILE), CityFiles.text(e, "name", FILE), CityFiles.integer(e, "weight", FILE)));
        }
        if (employers.isEmpty()) throw new IllegalArgumentException(FILE + ": 'employers' must not be empty");
        return new ParticipantCatalogue(businesses, portal, operator, employers);
    }

    private static SimParticipant special(int index, JsonNode node, Role role, CityModel city, Map<String, OpeningHours> hours) {
        return new SimParticipant(index, CityFiles.text(node, "id", FILE), CityFiles.text(node, "name", FILE), role,
                role.name().toLowerCase(), role.name(), role.name().toLowerCase(), city.districts().get(0).postcode(), 0,
                false, null, false, false, false, false, 1, 1, hours.values().iterator().next(), List.of());
    }

    private static OpeningHours hoursOf(String name, JsonNode week) {
        int[][] w = new int[7][];
        if (week.size() != 7) throw new IllegalArgumentException(FILE + ": hours '" + name + "' needs 7 weekdays");
        for (int d = 0; d < 7; d++) {
            JsonNode day = week.get(d);
            w[d] = day.isNull() ? null : new int[] {day.get(0).asInt(), day.get(1).asInt()};
        }
        return new OpeningHours(w);
    }

    /** Businesses, clubs, institutions and the voucher system (role PARTICIPANT), in catalogue order. */
    public List<SimParticipant> businesses() { return businesses; }
    public SimParticipant portal() { return portal; }
    public SimParticipant operator() { return operator; }
    public List<Employer> employers() { return employers; }

    /** Everyone who gets an API key: businesses, portal, operator. */
    public List<SimParticipant> all() {
        List<SimParticipant> all = new ArrayList<>(businesses);
        all.add(portal);
        all.add(operator);
        return all;
    }

    public SimParticipant get(String id) {
        SimParticipant p = byId.get(id);
        if (p == null) throw new IllegalArgumentException("participant '" + id + "' is not in the catalogue");
        return p;
    }

    public SimParticipant voucherSystem() {
        return businesses.stream().filter(SimParticipant::voucherSystem).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(FILE + ": no participant of a kind with voucherSystem=true"));
    }
}
