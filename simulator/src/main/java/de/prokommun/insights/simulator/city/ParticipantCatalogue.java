package de.prokommun.insights.simulator.city;

import de.prokommun.insights.city.Catalogue;
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

    private static final String FILE = de.prokommun.insights.city.CityFiles.PARTICIPANTS_CATALOGUE_JSON;

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

    /**
     * The catalogue as the city module reads it ({@link Catalogue}), turned into the simulator's participants: every
     * shop in a district of the city, every product group on a second-level category of the taxonomy.
     */
    public static ParticipantCatalogue load(CityFiles files, Taxonomy taxonomy, CityModel city) {
        Catalogue catalogue = files.catalogue();
        Map<String, OpeningHours> hours = new LinkedHashMap<>();
        catalogue.hours().forEach((name, week) -> hours.put(name, new OpeningHours(week.toArray(new int[0][]))));

        List<SimParticipant> businesses = new ArrayList<>();
        for (Catalogue.Business p : catalogue.businesses()) {
            Catalogue.Kind kind = catalogue.kinds().get(p.kind());
            city.district(p.postcode());
            List<ProductGroup> groups = new ArrayList<>();
            for (Catalogue.Group g : p.productGroups() != null ? p.productGroups() : kind.productGroups()) {
                if (!taxonomy.contains(g.category()) || taxonomy.get(g.category()).isTopLevel()) {
                    throw new IllegalArgumentException(FILE + ": product group of " + p.id() + " maps to '" + g.category()
                            + "', which is not a second-level taxonomy category");
                }
                groups.add(new ProductGroup(g.group(), g.category(), g.priceMinCents(), g.priceMaxCents()));
            }
            businesses.add(new SimParticipant(businesses.size(), p.id(), p.name(), Role.PARTICIPANT,
                    kind.id(), kind.label(), kind.sector(), p.postcode(), catalogue.sizes().get(p.size()),
                    p.bonus(), p.newsletter() ? p.id() + "-newsletter" : null,
                    kind.checkIns(), kind.club(), kind.voucherSystem(), "summer".equals(kind.seasonal()),
                    Math.max(1, kind.linesMin()), Math.max(1, kind.linesMax()), hours.get(kind.hours()), List.copyOf(groups)));
        }
        OpeningHours anyHours = hours.values().iterator().next();
        SimParticipant portal = special(businesses.size(), catalogue.portal(), Role.PORTAL, city, anyHours);
        portal = new SimParticipant(portal.index(), portal.id(), portal.name(), Role.PORTAL, "portal", "Portal", "portal",
                portal.postcode(), 0, false, catalogue.portal().newsletter(), false, false, false, false,
                1, 1, portal.hours(), List.of());
        SimParticipant operator = special(businesses.size() + 1, catalogue.operator(), Role.OPERATOR, city, anyHours);

        List<Employer> employers = catalogue.employers().stream()
                .map(e -> new Employer(e.id(), e.name(), e.weight())).toList();
        return new ParticipantCatalogue(businesses, portal, operator, employers);
    }

    private static SimParticipant special(int index, Catalogue.Desk desk, Role role, CityModel city, OpeningHours hours) {
        return new SimParticipant(index, desk.id(), desk.name(), role,
                role.name().toLowerCase(), role.name(), role.name().toLowerCase(), city.districts().get(0).postcode(), 0,
                false, null, false, false, false, false, 1, 1, hours, List.of());
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
