package de.prokommun.insights.city;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the simulator's side of participants-catalogue.json into a {@link Catalogue}; errors name the field. */
final class CatalogueReader {

    private static final Set<String> KIND_FIELDS = Set.of("label", "sector", "hours", "lines", "productGroups",
            "checkIns", "club", "voucherSystem", "seasonal");
    private static final Set<String> BUSINESS_FIELDS = Set.of("id", "name", "district", "kind", "size",
            "productGroups", "newsletter", "bonus");
    private static final Set<String> GROUP_FIELDS = Set.of("group", "category", "price");

    private CatalogueReader() {}

    static Catalogue read(JsonFields root) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        JsonFields sizeNode = root.object("sizes");
        for (var it = sizeNode.fieldNames(); it.hasNext(); ) {
            String size = it.next();
            if (size.equals("comment")) continue;
            int weight = sizeNode.integer(size);
            if (weight < 1) throw sizeNode.error(size, "must be a positive weight");
            sizes.put(size, weight);
        }
        Map<String, List<int[]>> hours = new LinkedHashMap<>();
        JsonFields hourNode = root.object("hours");
        for (var it = hourNode.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("comment")) hours.put(name, week(hourNode, name));
        }
        if (hours.isEmpty()) throw root.error("hours", "must name at least one week of opening hours");
        Map<String, Catalogue.Kind> kinds = new LinkedHashMap<>();
        JsonFields kindNode = root.object("kinds");
        for (var it = kindNode.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            if (!id.equals("comment")) kinds.put(id, kind(id, kindNode.object(id).only(KIND_FIELDS), hours.keySet()));
        }
        List<Catalogue.Business> businesses = new ArrayList<>();
        List<JsonNode> nodes = root.array("participants");
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields p = root.element("participants", i, nodes.get(i)).only(BUSINESS_FIELDS);
            String kind = p.text("kind");
            if (!kinds.containsKey(kind)) throw p.error("kind", "'" + kind + "' is not a kind of 'kinds' " + kinds.keySet());
            String size = p.text("size");
            if (!sizes.containsKey(size)) throw p.error("size", "'" + size + "' is not a size of 'sizes' " + sizes.keySet());
            businesses.add(new Catalogue.Business(p.text("id"), p.text("name"), kind, p.text("district"), size,
                    p.has("productGroups") ? groups(p, "productGroups") : null, flag(p, "bonus"), flag(p, "newsletter")));
        }
        JsonFields portal = root.object("portal").only(Set.of("id", "name", "newsletter"));
        JsonFields operator = root.object("operator").only(Set.of("id", "name"));
        List<Catalogue.Employer> employers = new ArrayList<>();
        List<JsonNode> employerNodes = root.has("employers") ? root.array("employers") : List.of();
        for (int i = 0; i < employerNodes.size(); i++) {
            JsonFields e = root.element("employers", i, employerNodes.get(i)).only(Set.of("id", "name", "weight"));
            int weight = e.integer("weight");
            if (weight < 1) throw e.error("weight", "must be a positive weight");
            employers.add(new Catalogue.Employer(e.text("id"), e.text("name"), weight));
        }
        if (employers.isEmpty()) throw root.error("employers", "must name at least one employer");
        return new Catalogue(sizes, hours, kinds, businesses,
                new Catalogue.Desk(portal.text("id"), portal.text("name"), portal.text("newsletter")),
                new Catalogue.Desk(operator.text("id"), operator.text("name"), null), employers);
    }

    private static Catalogue.Kind kind(String id, JsonFields k, Set<String> hours) {
        String hoursName = k.text("hours");
        if (!hours.contains(hoursName)) throw k.error("hours", "'" + hoursName + "' is not a week of 'hours' " + hours);
        int linesMin = 1, linesMax = 1;
        if (k.has("lines")) {
            int[] lines = pair(k, "lines");
            linesMin = lines[0];
            linesMax = lines[1];
        }
        return new Catalogue.Kind(id, k.has("label") ? k.text("label") : id, k.text("sector"), hoursName, linesMin,
                linesMax, k.has("productGroups") ? groups(k, "productGroups") : List.of(), flag(k, "checkIns"),
                flag(k, "club"), flag(k, "voucherSystem"), k.optionalText("seasonal"));
    }

    private static List<Catalogue.Group> groups(JsonFields owner, String field) {
        List<JsonNode> nodes = owner.array(field);
        List<Catalogue.Group> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields g = owner.element(field, i, nodes.get(i)).only(GROUP_FIELDS);
            int[] price = pair(g, "price");
            out.add(new Catalogue.Group(g.text("group"), g.text("category"), price[0], price[1]));
        }
        return out;
    }

    /** A {@code [min, max]} pair of whole numbers, 0 ≤ min ≤ max. */
    private static int[] pair(JsonFields owner, String field) {
        List<JsonNode> values = owner.array(field);
        if (values.size() != 2 || !values.stream().allMatch(JsonNode::canConvertToInt)
                || !values.stream().allMatch(JsonNode::isIntegralNumber)) {
            throw owner.error(field, "must be [min, max] of two whole numbers");
        }
        int[] pair = {values.get(0).intValue(), values.get(1).intValue()};
        if (pair[0] < 0 || pair[0] > pair[1]) throw owner.error(field, "must be [min, max] with 0 ≤ min ≤ max: " + Arrays.toString(pair));
        return pair;
    }

    /** Seven weekdays, Monday first, each {@code [open, close]} or null. */
    private static List<int[]> week(JsonFields hours, String name) {
        List<JsonNode> days = hours.array(name);
        if (days.size() != 7) throw hours.error(name, "needs 7 weekdays (Monday first), has " + days.size());
        List<int[]> week = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            JsonNode day = days.get(d);
            if (day.isNull()) {
                week.add(null);
                continue;
            }
            if (!day.isArray() || day.size() != 2 || !day.get(0).isInt() || !day.get(1).isInt()) {
                throw hours.error(name + "[" + d + "]", "must be null (closed) or [openHour, closeHour]");
            }
            week.add(new int[] {day.get(0).intValue(), day.get(1).intValue()});
        }
        return java.util.Collections.unmodifiableList(week);
    }

    private static boolean flag(JsonFields owner, String field) {
        if (!owner.has(field)) return false;
        JsonNode v = owner.raw(field);
        if (!v.isBoolean()) throw owner.error(field, "must be true or false");
        return v.booleanValue();
    }
}
