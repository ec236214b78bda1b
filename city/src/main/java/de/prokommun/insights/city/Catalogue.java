package de.prokommun.insights.city;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic side of participants-catalogue.json, which the simulator turns into businesses that sell
 * ({@link CityFiles#catalogue}): customer weights by size, opening hours by name, kinds of business and each
 * participant's kind, size and product groups, the portal, the operator and the employers with their weights. The
 * file's order is kept everywhere: indices are part of the simulator's deterministic stream.
 *
 * @param sizes size name → customer weight ("S": 1, ...)
 * @param hours name → seven weekdays Monday..Sunday, each {@code [open, close)} local hours or null (closed)
 * @param kinds kind id → kind
 */
public record Catalogue(Map<String, Integer> sizes, Map<String, List<int[]>> hours, Map<String, Kind> kinds,
                        List<Business> businesses, Desk portal, Desk operator, List<Employer> employers) {

    public Catalogue {
        sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
        hours = Collections.unmodifiableMap(new LinkedHashMap<>(hours));
        kinds = Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
        businesses = List.copyOf(businesses);
        employers = List.copyOf(employers);
    }

    /** A product group as a participant names it, the second-level category it maps onto, unit prices in cents. */
    public record Group(String group, String category, int priceMinCents, int priceMaxCents) {}

    /**
     * A kind of business: German label, sector, the name of its opening hours, lines per receipt {@code [min, max]},
     * its default product groups, and what it does besides selling (check-ins, club, the voucher system, a season).
     *
     * @param seasonal null, or the season in which it is open ("summer")
     */
    public record Kind(String id, String label, String sector, String hours, int linesMin, int linesMax,
                       List<Group> productGroups, boolean checkIns, boolean club, boolean voucherSystem, String seasonal) {
        public Kind {
            productGroups = List.copyOf(productGroups);
        }
    }

    /**
     * A participant of the catalogue as the simulator needs it.
     *
     * @param postcode      the postcode of its location (the file's "district")
     * @param productGroups its own groups, or null: those of its kind
     */
    public record Business(String id, String name, String kind, String postcode, String size,
                           List<Group> productGroups, boolean bonus, boolean newsletter) {
        public Business {
            productGroups = productGroups == null ? null : List.copyOf(productGroups);
        }
    }

    /** The portal or the operator: id, name and (the portal's) newsletter id, null for the operator. */
    public record Desk(String id, String name, String newsletter) {}

    /** An employer that credits employer vouchers, weighted by how many residents it employs. */
    public record Employer(String id, String name, int weight) {}
}
