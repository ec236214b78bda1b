package de.prokommun.insights.local;

import static de.prokommun.insights.local.BehaviourTestSupport.JSON;
import static de.prokommun.insights.local.JourneyEndToEndIT.BAKERY;
import static de.prokommun.insights.local.JourneyEndToEndIT.BUTCHER;
import static de.prokommun.insights.local.JourneyEndToEndIT.CITY;
import static de.prokommun.insights.local.JourneyEndToEndIT.CLUB;
import static de.prokommun.insights.local.JourneyEndToEndIT.FASHION;
import static de.prokommun.insights.local.JourneyEndToEndIT.OPERATOR;
import static de.prokommun.insights.local.JourneyEndToEndIT.ORGANIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.local.JourneyOracle.Person;
import de.prokommun.insights.local.JourneyOracle.VoucherRow;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.Question;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.query.audience.CityCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The journey answers of the query API compared with the release an independent {@link DisclosureControl} (same
 * policy, PRF key, asker and data version, fresh ledger) makes of the figures {@link JourneyOracle} computed from
 * the posted events: noise included, so an off-by-one in any cell of a release shows. How the API groups cells into
 * releases (question, labels, clamp) is the API's wiring (query/journey); the truths come from the oracle alone.
 */
final class JourneyAnswers {

    private static final String ARROW = "→";
    private static final String OTHER = "other";

    private final JourneyEndToEndIT it;
    private final JourneyOracle oracle;
    private final List<String> catalogue = new ArrayList<>();
    private final List<String> employers = new ArrayList<>();
    private final List<String> districts;
    private final Asker operator = new Asker(CITY, OPERATOR, AskerRole.OPERATOR);
    private final Asker bakery = new Asker(CITY, BAKERY, AskerRole.PARTICIPANT);

    JourneyAnswers(JourneyEndToEndIT it) throws Exception {
        this.it = it;
        this.oracle = it.oracle;
        Path cities = BehaviourTestSupport.repositoryRoot().resolve("cities");
        City city = CityFiles.find(cities, CITY).orElseThrow();
        city.participants().forEach(p -> catalogue.add(p.id()));
        city.employers().forEach(p -> employers.add(p.id()));
        districts = new CityCatalog(cities).city(CITY).orElseThrow().districts();
    }

    // ---- everything the operator and a participant ask -------------------------------------------------------------

    void askEverythingAndCompare() throws Exception {
        int y = it.year;
        List<String> shops = List.of(BAKERY, BUTCHER, ORGANIC, FASHION);
        crossShopping(operator, shops, y * 100 + 5, null);
        crossShopping(operator, shops, y, null);
        crossShopping(operator, shops, y, Set.of("25-34", "35-49"));
        crossShopping(bakery, List.of(BAKERY, BUTCHER, ORGANIC), y, null);
        List<String> nodes = List.of(BAKERY, BUTCHER, ORGANIC, CLUB);
        for (String within : List.of("1h", "24h", "7d", "30d")) flows(operator, "participant", nodes, within, y);
        flows(operator, "participant", nodes, "24h", y * 100 + 4);
        flows(bakery, "participant", List.of(BAKERY, BUTCHER, ORGANIC), "7d", y);
        flows(operator, "category", List.of("lebensmittel.backwaren", "lebensmittel.fleisch-wurst",
                "lebensmittel.obst-gemuese", "gastronomie.cafe", "veranstaltung", "vereine.training"), "30d", y);
        firstVisits(operator, y);
        whenWhere(operator, null, y);
        whenWhere(bakery, BAKERY, y * 100 + 8);
        vouchers(operator, y);
        engagement(operator, BAKERY, y * 100 + 6);
        engagement(operator, ORGANIC, y * 100 + 6);
        engagement(operator, ORGANIC, y * 100 + 5);
    }

    /** 403 for figures between two other participants; a participant's own answers involve only itself. */
    void participantScope() throws Exception {
        String key = it.keys.get(BAKERY);
        String period = "{\"year\": " + it.year + "}";
        BehaviourTestSupport.Answer a = it.support.send("POST", it.system.queryUrl() + "/api/v1/journey/cross-shopping", key,
                "application/json", "{\"period\": " + period + ", \"participants\": [\"" + BUTCHER + "\", \"" + ORGANIC + "\"]}");
        assertThat(a.status()).as(a.body()).isEqualTo(403);
        assertThat(a.body()).contains("participants");
        a = it.support.send("POST", it.system.queryUrl() + "/api/v1/journey/flows", key, "application/json",
                "{\"period\": " + period + ", \"level\": \"participant\", \"within\": \"24h\", \"nodes\": [\"" + BUTCHER
                        + "\", \"" + ORGANIC + "\", \"" + FASHION + "\"]}");
        assertThat(a.status()).as(a.body()).isEqualTo(403);
        assertThat(a.body()).contains("nodes");
        a = it.support.send("POST", it.system.queryUrl() + "/api/v1/journey/when-where", key, "application/json",
                "{\"period\": " + period + ", \"participant\": \"" + BUTCHER + "\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(403);

        JsonNode cross = ask(bakery, "/api/v1/journey/cross-shopping", body(it.year), List.of(BAKERY,
                BUTCHER, ORGANIC), "participants");
        everyRowInvolves(cross, BAKERY);
        JsonNode flows = ask(bakery, "/api/v1/journey/flows", body(it.year).put("level", "participant").put("within", "30d"),
                List.of(BAKERY, BUTCHER, ORGANIC, FASHION), "nodes");
        everyRowInvolves(flows, BAKERY);
        JsonNode vouchers = ask(bakery, "/api/v1/journey/vouchers", body(it.year), null, null);
        everyRowInvolves(vouchers, BAKERY);
    }

    private void everyRowInvolves(JsonNode answer, String participant) {
        int rows = 0;
        for (var t = answer.get("tables").fields(); t.hasNext(); ) {
            var table = t.next();
            for (JsonNode r : table.getValue()) {
                rows++;
                assertThat(List.of(r.get("label").asText().split(ARROW))).as(table.getKey() + " row of " + answer)
                        .contains(participant);
            }
        }
        assertThat(rows).as("rows in " + answer).isPositive();
    }

    // ---- the answers ----------------------------------------------------------------------------------------------

    private void crossShopping(Asker asker, List<String> nodes, int period, Set<String> ageBands) throws Exception {
        ObjectNode body = body(period);
        if (ageBands != null) ageBands.forEach(body.putObject("segment").putArray("ageBands")::add);
        JsonNode a = ask(asker, "/api/v1/journey/cross-shopping", body, nodes, "participants");
        Expected e = new Expected(asker, a);
        String focus = focus(asker);
        Predicate<YearMonth> in = in(period);
        boolean yearly = period < 10_000;
        Predicate<Person> segment = p -> ageBands == null || ageBands.contains(oracle.ageBand(p));
        List<String> owners = focus == null ? nodes : List.of(focus);
        Map<String, Long> customers = new LinkedHashMap<>();
        for (String o : owners) customers.put(o, oracle.customers(o, in, segment));
        CanonicalQuestion cq = question("journey.customers", period, ageBands, focus);
        if (focus == null) e.check(cq.anyOf("nodes", nodes).build(), customers, nodes.size(), "customers", null, "customers");
        else e.check(cq.build(), customers, 0, "customers", null, "customers");
        Map<String, Long> shared = new LinkedHashMap<>();
        for (String[] pair : pairs(nodes, focus, false)) {
            shared.put(pair[0] + ARROW + pair[1], oracle.shared(pair[0], pair[1], in, yearly, segment));
        }
        assertThat(shared.values().stream().mapToLong(Long::longValue).sum()).as("fixture: shared customers").isPositive();
        e.check(question("journey.shared-customers", period, ageBands, focus).anyOf("nodes", nodes).build(), shared,
                focus == null ? (long) nodes.size() * (nodes.size() - 1) : nodes.size() - 1, "shared", null, "shared");
        for (JsonNode r : rows(a, "shared")) {
            String from = r.get("label").asText().split(ARROW)[0];
            JsonNode owner = null;
            for (JsonNode c : rows(a, "customers")) if (c.get("label").asText().equals(from)) owner = c;
            assertDerived(r, "share", ratio(r.get("shared"), owner.get("customers")));
        }
        e.askedExactlyThese(a);
    }

    private void flows(Asker asker, String level, List<String> nodes, String within, int period) throws Exception {
        JsonNode a = ask(asker, "/api/v1/journey/flows", body(period).put("level", level).put("within", within), nodes, "nodes");
        Expected e = new Expected(asker, a);
        String focus = level.equals("category") ? null : focus(asker);
        long bucket = switch (within) {
            case "1h" -> 1;
            case "24h" -> 24;
            case "7d" -> 168;
            default -> 720;
        };
        Map<String, Long> cells = new LinkedHashMap<>();
        for (String[] pair : pairs(nodes, focus, true)) {
            cells.put(pair[0] + ARROW + pair[1], oracle.flows(pair[0], pair[1], bucket, level.equals("category"), in(period)));
        }
        assertThat(cells.values().stream().mapToLong(Long::longValue).sum()).as("fixture: flows within " + within).isPositive();
        long months = period < 10_000 ? 12 : 1;
        long clamp = (focus == null ? (long) nodes.size() * (nodes.size() - 1) : 2L * (nodes.size() - 1)) * months;
        e.check(question("journey.flows", period, null, focus).param("level", level).param("within", within)
                .anyOf("nodes", nodes).build(), cells, clamp, "flows", null, "residents");
        for (JsonNode r : rows(a, "flows")) {
            String[] ends = r.get("label").asText().split(ARROW);
            assertThat(r.path("source").asText()).isEqualTo(ends[0]);
            assertThat(r.path("target").asText()).isEqualTo(ends[1]);
        }
        e.askedExactlyThese(a);
    }

    private void firstVisits(Asker asker, int period) throws Exception {
        JsonNode a = ask(asker, "/api/v1/journey/first-visits", body(period), null, null);
        Expected e = new Expected(asker, a);
        Map<String, Long> cells = perParticipant(p -> oracle.firstVisits(p, in(period)), p -> oracle.firstVisits(p, in(period)));
        e.check(question("journey.first-visits", period, null, focus(asker)).build(), cells, 0, "firstVisits", null,
                "newCustomers");
        e.askedExactlyThese(a);
    }

    private void whenWhere(Asker asker, String participant, int period) throws Exception {
        ObjectNode body = body(period);
        if (participant != null) body.put("participant", participant);
        JsonNode a = ask(asker, "/api/v1/journey/when-where", body, null, null);
        Expected e = new Expected(asker, a);
        Predicate<YearMonth> in = in(period);
        Predicate<JourneyOracle.Visit> at = v -> participant == null || v.participant().equals(participant);
        long months = period < 10_000 ? 12 : 1;
        Map<String, Long> slots = new LinkedHashMap<>();
        for (int d = 1; d <= 7; d++) {
            for (int h = 0; h < 24; h++) {
                int day = d;
                int hour = h;
                slots.put(String.format("%d-%02d", d, h), oracle.visitFigures(at.and(v -> oracle.weekday(v.time()) == day
                        && oracle.hour(v.time()) == hour), in, p -> true)[0]);
            }
        }
        assertThat(slots.values().stream().mapToLong(Long::longValue).sum()).as("fixture: visits").isPositive();
        e.check(question("journey.visits.weekday-hour", period, null, participant).build(), slots,
                clamp("visitsPerPersonMonth") * months, "weekdayHour", null, "visits");
        Map<String, Long> visits = new LinkedHashMap<>();
        Map<String, Long> spend = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>(districts);
        labels.add(OTHER);
        for (String place : labels) {
            Predicate<JourneyOracle.Visit> there = place.equals(OTHER)
                    ? v -> !districts.contains(oracle.place(v.participant()))
                    : v -> oracle.place(v.participant()).equals(place);
            long[] f = oracle.visitFigures(at.and(there), in, p -> true);
            visits.put(place, f[0]);
            spend.put(place, f[1]);
        }
        e.check(question("journey.visits.place", period, null, participant).build(), visits,
                clamp("visitsPerPersonMonth") * months, "places", null, "visits");
        e.check(question("journey.spend.place", period, null, participant).build(), spend,
                clamp("spendCentsPerPersonMonth") * months, "places", null, "spendCents");
        e.askedExactlyThese(a);
    }

    /**
     * Per the API's notes: voucher counts and days to redemption are taken over rows of at least 500 cents after the
     * per-person cut, days only over redemptions of a known sale within 366 days.
     */
    private void vouchers(Asker asker, int period) throws Exception {
        JsonNode a = ask(asker, "/api/v1/journey/vouchers", body(period), null, null);
        Expected e = new Expected(asker, a);
        long months = period < 10_000 ? 12 : 1;
        long cents = clamp("voucherCentsPerPersonMonth") * months;
        long counted = Math.max(1, clamp("voucherCentsPerPersonMonth") / 500) * months;
        Predicate<YearMonth> in = in(period);
        List<VoucherRow> rows = oracle.voucherRows().stream().filter(r -> in.test(oracle.month(r.time()))).toList();
        String sold = "gift_voucher_sold";
        String redeemed = "gift_voucher_redeemed";
        e.check(question("journey.gift.sold.cents", period, null, null).build(), byParticipant(rows, sold, r -> r.amountOrPoints()),
                cents, "giftSold", null, "amountCents");
        e.check(question("journey.gift.sold.count", period, null, null).build(),
                byParticipant(rows, sold, r -> r.amountOrPoints() >= 500 ? 1 : 0), counted, "giftSold", null, "vouchers");
        e.check(question("journey.gift.redeemed.cents", period, null, null).build(),
                byParticipant(rows, redeemed, r -> r.amountOrPoints()), cents, "giftRedeemed", null, "amountCents");
        e.check(question("journey.gift.redeemed.count", period, null, null).build(),
                byParticipant(rows, redeemed, r -> r.amountOrPoints() >= 500 ? 1 : 0), counted, "giftRedeemed", null, "vouchers");
        Predicate<VoucherRow> timed = r -> r.amountOrPoints() >= 500 && !r.counterpart().equals(JourneyOracle.NULL)
                && r.lagDays() <= 366;
        e.check(question("journey.gift.redeemed.lag-days", period, null, null).build(),
                byParticipant(rows, redeemed, r -> timed.test(r) ? r.lagDays() : 0), counted * 366, "giftRedeemed", null, "lagDays");
        e.check(question("journey.gift.redeemed.lag-count", period, null, null).build(),
                byParticipant(rows, redeemed, r -> timed.test(r) ? 1 : 0), counted, "giftRedeemed", null, "timedVouchers");
        Map<String, Long> matrix = new LinkedHashMap<>();
        for (String s : catalogue) for (String r : catalogue) matrix.put(s + ARROW + r, 0L);
        rows.stream().filter(r -> r.measure().equals(redeemed)).forEach(r -> matrix.computeIfPresent(r.counterpart() + ARROW
                + r.participant(), (k, v) -> v + r.amountOrPoints()));
        assertThat(matrix.get(JourneyEndToEndIT.BOOKS + ARROW + FASHION) + matrix.get(JourneyEndToEndIT.BOOKS + ARROW + BAKERY))
                .as("fixture: vouchers circulate").isPositive();
        e.check(question("journey.gift.matrix", period, null, null).build(), matrix, cents, "giftMatrix", null, "amountCents");
        e.check(question("journey.employer.credited", period, null, null).build(),
                byEmployer(rows, "employer_voucher_credited"), cents, "employer", null, "creditedCents");
        e.check(question("journey.employer.spent", period, null, null).build(),
                byEmployer(rows, "employer_voucher_spent"), cents, "employer", null, "spentCents");
        e.check(question("journey.employer.spent-where", period, null, null).build(),
                byParticipant(rows, "employer_voucher_spent", r -> r.amountOrPoints()), cents, "employerSpent", null, "spentCents");
        long points = clamp("bonusPointsPerPersonMonth") * months;
        e.check(question("journey.bonus.earned", period, null, null).build(),
                byParticipant(rows, "bonus_points_earned", r -> r.amountOrPoints()), points, "bonus", null, "earnedPoints");
        e.check(question("journey.bonus.redeemed", period, null, null).build(),
                byParticipant(rows, "bonus_points_redeemed", r -> r.amountOrPoints()), points, "bonus", null, "redeemedPoints");
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("giftSoldCents", total(rows, sold));
        totals.put("giftRedeemedCents", total(rows, redeemed));
        totals.put("employerCreditedCents", total(rows, "employer_voucher_credited"));
        totals.put("employerSpentCents", total(rows, "employer_voucher_spent"));
        e.check(question("journey.voucher.totals", period, null, null).build(), totals, 4 * cents, "summary", "all", null);
        for (JsonNode r : rows(a, "giftRedeemed")) {
            Double mean = ratio(r.get("lagDays"), r.get("timedVouchers"));
            assertDerived(r, "meanDaysToRedemption", mean == null || mean > 366 ? null : mean);
        }
        for (JsonNode r : rows(a, "employer")) assertDerived(r, "redemptionRate", ratio(r.get("spentCents"), r.get("creditedCents")));
        JsonNode summary = rows(a, "summary").get(0);
        assertDerived(summary, "giftRedemptionRate", ratio(summary.get("giftRedeemedCents"), summary.get("giftSoldCents")));
        e.askedExactlyThese(a);
    }

    /** Engaged residents and buyers of the participant in the month, overall and per age band. */
    private void engagement(Asker asker, String participant, int month) throws Exception {
        JsonNode a = ask(asker, "/api/v1/journey/engagement", body(month).put("participant", participant), null, null);
        Expected e = new Expected(asker, a);
        YearMonth m = YearMonth.of(month / 100, month % 100);
        e.check(question("journey.engaged", month, null, participant).build(),
                Map.of("", oracle.engaged(participant, m, false)), 0, "engagement", "engaged", "residents");
        e.check(question("journey.engaged-buyers", month, null, participant).build(),
                Map.of("", oracle.engaged(participant, m, true)), 0, "engagement", "engaged", "buyers");
        List<String> bands = new ArrayList<>(new CityCatalog(BehaviourTestSupport.repositoryRoot().resolve("cities"))
                .city(CITY).orElseThrow().ageBands());
        Map<String, Long> customers = new LinkedHashMap<>();
        Map<String, Long> engaged = new LinkedHashMap<>();
        Map<String, Long> buyers = new LinkedHashMap<>();
        bands.add(OTHER);
        for (String band : bands) {
            Predicate<Person> b = p -> band.equals(OTHER) ? !bands.contains(oracle.ageBand(p)) : oracle.ageBand(p).equals(band);
            customers.put(band, oracle.customers(participant, m::equals, b));
            engaged.put(band, oracle.residents().stream().filter(b).filter(p -> oracle.engaged(participant, m, false, p)).count());
            buyers.put(band, oracle.residents().stream().filter(b).filter(p -> oracle.engaged(participant, m, true, p)).count());
        }
        e.check(question("journey.customers", month, null, participant).param("breakdown", "ageBand").build(), customers, 0,
                "baseline", null, "customers");
        e.check(question("journey.engaged", month, null, participant).param("breakdown", "ageBand").build(), engaged, 0,
                "baseline", null, "engaged");
        e.check(question("journey.engaged-buyers", month, null, participant).param("breakdown", "ageBand").build(), buyers, 0,
                "baseline", null, "engagedBuyers");
        JsonNode engagedRow = rows(a, "engagement").get(0);
        assertDerived(engagedRow, "conversion", ratio(engagedRow.get("buyers"), engagedRow.get("residents")));
        e.askedAtLeastThese(a);
    }

    // ---- truths per participant / employer -------------------------------------------------------------------------

    /** One cell per catalogue participant (the asker's alone for a participant) and "other" for the rest. */
    private Map<String, Long> perParticipant(ToLongFunction<String> of, ToLongFunction<String> alsoOther) {
        Map<String, Long> cells = new LinkedHashMap<>();
        for (String p : catalogue) cells.put(p, of.applyAsLong(p));
        long other = 0;
        for (String p : List.of(JourneyEndToEndIT.FARM)) other += alsoOther.applyAsLong(p);
        cells.put(OTHER, other);
        return cells;
    }

    private Map<String, Long> byParticipant(List<VoucherRow> rows, String measure, ToLongFunction<VoucherRow> value) {
        Map<String, Long> cells = new LinkedHashMap<>();
        for (String p : catalogue) cells.put(p, 0L);
        cells.put(OTHER, 0L);
        for (VoucherRow r : rows) {
            if (!r.measure().equals(measure)) continue;
            cells.merge(catalogue.contains(r.participant()) ? r.participant() : OTHER, value.applyAsLong(r), Long::sum);
        }
        return cells;
    }

    private Map<String, Long> byEmployer(List<VoucherRow> rows, String measure) {
        Map<String, Long> cells = new LinkedHashMap<>();
        for (String p : employers) cells.put(p, 0L);
        cells.put(OTHER, 0L);
        for (VoucherRow r : rows) {
            if (r.measure().equals(measure)) {
                cells.merge(employers.contains(r.counterpart()) ? r.counterpart() : OTHER, r.amountOrPoints(), Long::sum);
            }
        }
        return cells;
    }

    private static long total(List<VoucherRow> rows, String measure) {
        return rows.stream().filter(r -> r.measure().equals(measure)).mapToLong(VoucherRow::amountOrPoints).sum();
    }

    // ---- asking and releasing ------------------------------------------------------------------------------------

    private JsonNode ask(Asker asker, String path, ObjectNode body, List<String> nodes, String field) throws Exception {
        if (nodes != null) nodes.forEach(body.putArray(field)::add);
        return it.support.ask(it.system.queryUrl(), it.keys.get(asker.id()), path, body.toString());
    }

    private static ObjectNode body(int period) {
        ObjectNode b = JSON.createObjectNode();
        b.putObject("period").put(period < 10_000 ? "year" : "month", period);
        return b;
    }

    private Predicate<YearMonth> in(int period) {
        return period < 10_000 ? m -> m.getYear() == period : YearMonth.of(period / 100, period % 100)::equals;
    }

    private static CanonicalQuestion question(String kind, int period, Set<String> ageBands, String row) {
        String label = period < 10_000 ? Integer.toString(period) : String.format("%04d-%02d", period / 100, period % 100);
        CanonicalQuestion q = CanonicalQuestion.of(kind).param("period", label);
        if (ageBands != null) q.anyOf("ageBands", ageBands);
        if (row != null) q.param("row", row);
        return q;
    }

    private static String focus(Asker asker) {
        return asker.role() == AskerRole.PARTICIPANT ? asker.id() : null;
    }

    private static List<String[]> pairs(List<String> nodes, String focus, boolean bothDirections) {
        List<String[]> out = new ArrayList<>();
        for (String a : nodes) {
            for (String b : nodes) {
                if (!a.equals(b) && (focus == null || a.equals(focus) || (bothDirections && b.equals(focus)))) {
                    out.add(new String[] {a, b});
                }
            }
        }
        return out;
    }

    private long clamp(String name) {
        try {
            return JSON.readTree(JourneyEndToEndIT.dir.resolve("privacy.json").toFile()).path("clamps").get(name).asLong();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A share of two released cells as the API derives it (3 decimals; null when suppressed or divided by 0). */
    private static Double ratio(JsonNode part, JsonNode whole) {
        if (part.get("suppressed").asBoolean() || whole.get("suppressed").asBoolean()) return null;
        long w = whole.get("value").asLong();
        if (w == 0) return null;
        return Math.round((double) part.get("value").asLong() / w * 1000.0) / 1000.0;
    }

    private static void assertDerived(JsonNode row, String name, Double expected) {
        JsonNode v = row.get(name);
        assertThat(v == null || v.isNull() ? null : v.asDouble()).as(name + " of " + row).isEqualTo(expected);
    }

    private static JsonNode rows(JsonNode answer, String table) {
        JsonNode rows = answer.path("tables").path(table);
        assertThat(rows.isArray()).as("table " + table + " in " + answer).isTrue();
        return rows;
    }

    /** One answer's expected releases, each by a fresh DisclosureControl with the API's key and policy. */
    private final class Expected {
        final Asker asker;
        final JsonNode answer;
        final String version;
        final Set<String> questions = new TreeSet<>();

        Expected(Asker asker, JsonNode answer) {
            this.asker = asker;
            this.answer = answer;
            this.version = answer.get("dataVersion").asText();
        }

        /** clamp 0: counts; a cell goes to row (or its label) and figure (or its label) of the table. */
        void check(Question q, Map<String, Long> truths, long clamp, String table, String row, String figure) {
            questions.add(q.canonicalForm());
            List<TrueCell> cells = new ArrayList<>();
            truths.forEach((label, truth) -> cells.add(new TrueCell(label, truth)));
            DisclosureControl disclosure = new DisclosureControl(it.policy, BudgetLedger.inMemory(), AuditLog.inMemory(),
                    it.prfKey, Clock.systemUTC());
            List<ReleasedCell> released = clamp == 0 ? disclosure.releaseCounts(asker, q, version, cells).cells()
                    : disclosure.releaseSums(asker, q, version, cells, clamp).cells();
            JsonNode rows = rows(answer, table);
            if (table.equals("giftMatrix")) released = boundLinks(released, clamp);
            for (ReleasedCell cell : released) {
                String r = row != null ? row : cell.label();
                String f = figure != null ? figure : cell.label();
                JsonNode found = null;
                for (JsonNode candidate : rows) if (candidate.get("label").asText().equals(r)) found = candidate;
                if (table.equals("giftMatrix") && cell.suppressed()) { // left out when suppressed (or bound away)
                    assertThat(found).as(asker.id() + " " + q.canonicalForm() + ": link " + r + " left out").isNull();
                    continue;
                }
                assertThat(found).as(asker.id() + " " + q.canonicalForm() + ": row " + r + " in " + rows).isNotNull();
                BehaviourTestSupport.assertCell(found.get(f), cell, truths.get(cell.label()), asker.id() + " "
                        + q.canonicalForm() + " " + table + "/" + r + "/" + f);
            }
        }

        /**
         * Issue 15, finding 6: the links as the answer must show them. The links into a place never add up to more than
         * its released redeemed value (the answer's giftRedeemed row, checked against the oracle before): if they
         * would, each is ⌊value · placeValue / sum⌋; into a place whose value is suppressed none; a scaled link below
         * the minimum cell (minCellSize × clamp) is left out. Links left out come back as suppressed cells.
         */
        private List<ReleasedCell> boundLinks(List<ReleasedCell> links, long clamp) {
            var rules = it.policy.rules(asker.city(), asker.role());
            Map<String, Long> into = new LinkedHashMap<>();
            for (ReleasedCell l : links) if (!l.suppressed()) into.merge(placeOf(l.label()), l.value(), Long::sum);
            List<ReleasedCell> out = new ArrayList<>();
            for (ReleasedCell l : links) {
                JsonNode own = null;
                for (JsonNode r : rows(answer, "giftRedeemed")) {
                    if (r.get("label").asText().equals(placeOf(l.label()))) own = r.get("amountCents");
                }
                if (l.suppressed() || own == null) { // a place not in the answer sets no bound
                    out.add(l);
                    continue;
                }
                long sum = into.get(placeOf(l.label()));
                ReleasedCell gone = new ReleasedCell(l.label(), null, true, null);
                if (own.get("suppressed").asBoolean()) {
                    out.add(gone);
                } else if (sum <= own.get("value").asLong()) {
                    out.add(l);
                } else {
                    long v = java.math.BigInteger.valueOf(l.value()).multiply(java.math.BigInteger.valueOf(own.get("value")
                            .asLong())).divide(java.math.BigInteger.valueOf(sum)).longValueExact();
                    out.add(v < rules.minCellSize() * clamp ? gone : new ReleasedCell(l.label(), v, false, rules.display().show(v)));
                }
            }
            return out;
        }

        private static String placeOf(String link) {
            return link.substring(link.indexOf(ARROW) + ARROW.length());
        }

        void askedExactlyThese(JsonNode a) {
            assertThat(asked(a)).as("questions released").isEqualTo(questions);
        }

        void askedAtLeastThese(JsonNode a) {
            assertThat(asked(a)).as("questions released").containsAll(questions);
        }

        private Set<String> asked(JsonNode a) {
            Set<String> asked = new TreeSet<>();
            a.get("questions").forEach(q -> asked.add(q.asText()));
            return asked;
        }
    }
}
