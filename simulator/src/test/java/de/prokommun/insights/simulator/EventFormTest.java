package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.participants.Role;
import de.prokommun.insights.simulator.city.ProductGroup;
import de.prokommun.insights.simulator.city.SimParticipant;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One simulated year of a small city, checked against the rules of docs/EVENTS.md that can be checked
 * locally, and against the behaviours the simulator promises (seasonality, loyalty, vouchers, order of a
 * resident's events).
 */
class EventFormTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> PORTAL_ONLY = Set.of("resident.registered", "profile.changed", "consent.changed",
            "card.linked", "erasure.requested");
    private static final Set<String> RESIDENT_REQUIRED = Set.of("resident.registered", "profile.changed", "consent.changed",
            "card.linked", "erasure.requested", "newsletter.subscribed", "newsletter.unsubscribed", "participant.followed",
            "participant.unfollowed");
    private static final Set<String> RESIDENT_OR_CARD = Set.of("purchase", "purchase.retracted", "bonus.earned",
            "bonus.redeemed", "employer_voucher.credited", "employer_voucher.redeemed", "event.checked_in");
    private static final Map<String, Set<String>> DATA_FIELDS = Map.ofEntries(
            Map.entry("resident.registered", Set.of("birthDate", "gender", "postcode", "householdType", "interests", "consents")),
            Map.entry("profile.changed", Set.of("birthDate", "gender", "postcode", "householdType", "interests")),
            Map.entry("consent.changed", Set.of("analytics", "offers", "newsletter")),
            Map.entry("card.linked", Set.of("card", "replacesCard")),
            Map.entry("purchase", Set.of("receipt", "lines", "payments")),
            Map.entry("purchase.retracted", Set.of("receipt")),
            Map.entry("bonus.earned", Set.of("points", "receipt")),
            Map.entry("bonus.redeemed", Set.of("points", "receipt")),
            Map.entry("gift_voucher.sold", Set.of("voucher", "amountCents")),
            Map.entry("gift_voucher.redeemed", Set.of("voucher", "amountCents", "receipt")),
            Map.entry("employer_voucher.credited", Set.of("employer", "amountCents")),
            Map.entry("employer_voucher.redeemed", Set.of("amountCents", "receipt")),
            Map.entry("newsletter.subscribed", Set.of("newsletter")),
            Map.entry("newsletter.unsubscribed", Set.of("newsletter")),
            Map.entry("participant.followed", Set.of("followed")),
            Map.entry("participant.unfollowed", Set.of("followed")),
            Map.entry("event.checked_in", Set.of("happening", "category")),
            Map.entry("erasure.requested", Set.of("reason")));
    private static final Set<String> ENVELOPE = Set.of("eventId", "type", "eventTime", "resident", "card", "city", "participant", "data");

    private static final Musterstadt CITY = Musterstadt.load();
    private static final ZoneId ZONE = CITY.city().timeZone();
    private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-01-01T00:00:00Z");
    private static final List<JsonNode> EVENTS = new ArrayList<>();

    @BeforeAll
    static void generate() throws Exception {
        var it = CITY.events(2024, 4000, FROM, TO);
        while (it.hasNext()) {
            SimEvent e = it.next();
            JsonNode n = JSON.readTree(e.json());
            assertThat(n.path("participant").asText()).isEqualTo(e.sender());
            assertThat(e.key()).isEqualTo(n.has("resident") ? n.get("resident").asText() : n.path("card").asText());
            EVENTS.add(n);
        }
    }

    @Test
    void everyEventTypeOfTheContractIsGenerated() {
        Set<String> types = new TreeSet<>();
        EVENTS.forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).containsExactlyInAnyOrderElementsOf(DATA_FIELDS.keySet());
    }

    @Test
    void envelopesFollowTheRules() {
        Set<String> ids = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (JsonNode e : EVENTS) {
            String type = e.path("type").asText();
            e.fieldNames().forEachRemaining(f -> check(ENVELOPE.contains(f), "unknown envelope field " + f, e));
            check(EVENT_ID.matcher(e.path("eventId").asText()).matches(), "eventId pattern", e);
            check(ids.add(e.path("eventId").asText()), "unique eventId", e);
            Instant time = Instant.parse(e.path("eventTime").asText());
            check(!time.isBefore(FROM) && time.isBefore(TO), "eventTime within the period", e);
            check(time.toEpochMilli() >= previous, "ordered by time", e);
            previous = time.toEpochMilli();
            check(e.path("city").asText().equals("musterstadt"), "city", e);
            SimParticipant sender = CITY.participants().get(e.path("participant").asText());
            check(sender.role() != Role.OPERATOR, "operators send no events", e);
            if (PORTAL_ONLY.contains(type)) check(sender.role() == Role.PORTAL, "portal-only type from the portal", e);
            if (RESIDENT_REQUIRED.contains(type)) check(e.has("resident"), "resident required", e);
            if (RESIDENT_OR_CARD.contains(type)) check(e.has("resident") || e.has("card"), "resident or card required", e);
            for (String ref : new String[] {"resident", "card"}) {
                if (e.has(ref)) check(e.get(ref).asText().length() >= 1 && e.get(ref).asText().length() <= 64 && !e.get(ref).asText().contains("@"), ref + ": 1-64 characters, no e-mail", e);
            }
            JsonNode data = e.path("data");
            check(data.isObject(), "data is an object", e);
            data.fieldNames().forEachRemaining(f -> check(DATA_FIELDS.get(type).contains(f), "unknown data field " + f, e));
        }
    }

    @Test
    void dataFieldsHaveTheRightTypesAndValues() {
        Set<String> postcodes = new HashSet<>();
        CITY.city().districts().forEach(d -> postcodes.add(d.postcode()));
        for (JsonNode e : EVENTS) {
            JsonNode d = e.path("data");
            Instant time = Instant.parse(e.path("eventTime").asText());
            switch (e.path("type").asText()) {
                case "resident.registered" -> {
                    int age = java.time.Period.between(LocalDate.parse(d.path("birthDate").asText()), LocalDate.ofInstant(time, ZONE)).getYears();
                    assertThat(age).isBetween(14, 120);
                    assertThat(d.path("gender").asText()).isIn("FEMALE", "MALE", "DIVERSE", "UNKNOWN");
                    assertThat(postcodes).contains(d.path("postcode").asText());
                    assertThat(d.path("householdType").asText()).isIn("SINGLE", "COUPLE", "FAMILY", "SINGLE_PARENT", "SHARED", "UNKNOWN");
                    assertThat(d.path("interests").isArray()).isTrue();
                    d.path("interests").forEach(i -> assertThat(i.isTextual()).isTrue());
                    for (String c : new String[] {"analytics", "offers", "newsletter"}) assertThat(d.path("consents").path(c).isBoolean()).isTrue();
                }
                case "profile.changed" -> {
                    assertThat(d.size()).isPositive();
                    if (d.has("postcode")) assertThat(postcodes).contains(d.get("postcode").asText());
                }
                case "consent.changed" -> {
                    assertThat(d.size()).isPositive();
                    d.forEach(v -> assertThat(v.isBoolean()).isTrue());
                }
                case "card.linked" -> assertThat(d.path("card").asText()).startsWith("C-");
                case "purchase" -> checkPurchase(e);
                case "bonus.earned", "bonus.redeemed" -> check(d.path("points").asLong() >= 1, "points >= 1", e);
                case "gift_voucher.sold", "gift_voucher.redeemed", "employer_voucher.redeemed" ->
                        check(d.path("amountCents").asLong() >= 1, "amountCents >= 1", e);
                case "employer_voucher.credited" -> check(d.path("amountCents").asLong() >= 1 && d.path("amountCents").asLong() <= 5000, "amountCents 1-5000", e);
                case "participant.followed", "participant.unfollowed" ->
                        assertThat(CITY.participants().get(d.path("followed").asText()).role()).isEqualTo(Role.PARTICIPANT);
                case "event.checked_in" -> {
                    check(!d.path("happening").asText().isBlank(), "happening", e);
                    check(CITY.taxonomy().contains(d.path("category").asText()), "category in the taxonomy", e);
                }
                case "newsletter.subscribed", "newsletter.unsubscribed" -> check(!d.path("newsletter").asText().isBlank(), "newsletter", e);
                default -> { }
            }
        }
    }

    /** A plain check for the hot loops (AssertJ per field of 200,000 events is slow); fails naming the event. */
    private static void check(boolean ok, String what, Object event) {
        if (!ok) throw new AssertionError(what + ": " + event);
    }

    private static void checkPurchase(JsonNode e) {
        JsonNode d = e.path("data");
        SimParticipant shop = CITY.participants().get(e.path("participant").asText());
        Set<String> ownGroups = new HashSet<>();
        for (ProductGroup g : shop.productGroups()) ownGroups.add(g.name());
        check(d.path("receipt").asText().length() >= 1 && d.path("receipt").asText().length() <= 64, "receipt 1-64", e);
        check(d.path("lines").size() >= 1 && d.path("lines").size() <= 500, "1-500 lines", e);
        long lines = 0, paid = 0;
        for (JsonNode l : d.path("lines")) {
            check(ownGroups.contains(l.path("productGroup").asText()), "product group is the participant's own", e);
            check(l.path("quantity").isInt() && l.path("quantity").asInt() >= 1, "quantity >= 1", e);
            check(l.path("amountCents").isIntegralNumber() && l.path("amountCents").asLong() >= 0, "line amountCents >= 0", e);
            lines += l.path("amountCents").asLong();
        }
        for (JsonNode p : d.path("payments")) {
            check(Set.of("CARD", "BONUS_POINTS", "GIFT_VOUCHER", "EMPLOYER_VOUCHER", "CASH", "OTHER").contains(p.path("kind").asText()), "payment kind", e);
            check(p.path("amountCents").asLong() >= 0, "payment amountCents >= 0", e);
            paid += p.path("amountCents").asLong();
        }
        check(paid == lines, "payments add up to the lines", e);
    }

    @Test
    void employerVouchersStayWithinTheMonthlyLimitAndBalance() {
        Map<String, Long> perMonth = new HashMap<>();
        Map<String, Long> balanceByCard = new HashMap<>();
        Map<String, String> cardOwner = new HashMap<>();
        for (JsonNode e : EVENTS) {
            String type = e.path("type").asText();
            if (type.equals("card.linked")) cardOwner.put(e.path("data").path("card").asText(), e.path("resident").asText());
            if (type.equals("employer_voucher.credited")) {
                String resident = e.path("resident").asText();
                YearMonth m = YearMonth.from(LocalDate.ofInstant(Instant.parse(e.path("eventTime").asText()), ZONE));
                long sum = perMonth.merge(resident + "/" + m, e.path("data").path("amountCents").asLong(), Long::sum);
                assertThat(sum).as("employer vouchers of %s in %s", resident, m).isLessThanOrEqualTo(5000);
                balanceByCard.merge(resident, e.path("data").path("amountCents").asLong(), Long::sum);
            }
            if (type.equals("employer_voucher.redeemed")) {
                String resident = cardOwner.get(e.path("card").asText());
                long left = balanceByCard.merge(resident, -e.path("data").path("amountCents").asLong(), Long::sum);
                assertThat(left).as("employer voucher balance of %s", resident).isNotNegative();
            }
        }
        assertThat(perMonth).hasSizeGreaterThan(100);
    }

    @Test
    void giftVouchersAreRedeemedElsewhereAndNeverBeyondTheirValue() {
        Map<String, Long> value = new HashMap<>();
        Map<String, String> seller = new HashMap<>();
        int redeemed = 0, sold = 0, soldInDecember = 0;
        for (JsonNode e : EVENTS) {
            String type = e.path("type").asText();
            String voucher = e.path("data").path("voucher").asText();
            if (type.equals("gift_voucher.sold")) {
                sold++;
                if (LocalDate.ofInstant(Instant.parse(e.path("eventTime").asText()), ZONE).getMonthValue() == 12) soldInDecember++;
                // a voucher id sold twice (also by another seller) is a dead letter in the pipeline
                assertThat(value).as("voucher %s sold only once", voucher).doesNotContainKey(voucher);
                value.put(voucher, e.path("data").path("amountCents").asLong());
                seller.put(voucher, e.path("participant").asText());
            }
            if (type.equals("gift_voucher.redeemed")) {
                redeemed++;
                assertThat(value).as("voucher %s sold before it is redeemed", voucher).containsKey(voucher);
                assertThat(e.path("participant").asText()).isNotEqualTo(seller.get(voucher));
                long left = value.merge(voucher, -e.path("data").path("amountCents").asLong(), Long::sum);
                assertThat(left).isNotNegative();
            }
        }
        assertThat(redeemed).isPositive();
        assertThat((double) soldInDecember / sold).as("gift vouchers are bought around Christmas").isGreaterThan(0.25);
    }

    @Test
    void aVoucherNobodyRedeemsDoesNotLendItsIdToTheNext() {
        // on a city's first days few residents hold a card yet, so a buyer often finds nobody to give the voucher to;
        // its id must not be sold again by the next buyer (the pipeline dead-letters a voucher id of two sellers)
        Instant from = Instant.parse("2025-12-05T00:00:00Z");
        Set<String> sold = new HashSet<>();
        for (var it = CITY.events(77, 20_000, from, from.plus(java.time.Duration.ofDays(10))); it.hasNext(); ) {
            SimEvent e = it.next();
            if (!e.type().equals("gift_voucher.sold")) continue;
            String id = e.dataJson().replaceAll(".*\"voucher\":\"([^\"]+)\".*", "$1");
            assertThat(sold.add(id)).as("voucher %s sold only once", id).isTrue();
        }
        assertThat(sold).hasSizeGreaterThan(10);
    }

    @Test
    void aResidentsEventsComeInAValidOrder() {
        Set<String> registered = new HashSet<>();
        Set<String> erased = new HashSet<>();
        Map<String, String> cardOwner = new HashMap<>();
        for (JsonNode e : EVENTS) {
            String type = e.path("type").asText();
            String resident = e.has("resident") ? e.get("resident").asText() : cardOwner.get(e.path("card").asText());
            if (type.equals("resident.registered")) {
                assertThat(registered.add(resident)).as("registered once: %s", resident).isTrue();
            } else if (e.has("resident")) {
                check(registered.contains(resident), "registered before", e);
            }
            if (resident != null) check(!erased.contains(resident), "nothing after the erasure", e);
            if (type.equals("card.linked")) cardOwner.put(e.path("data").path("card").asText(), resident);
            if (type.equals("erasure.requested")) erased.add(resident);
        }
        assertThat(erased).isNotEmpty();
    }

    @Test
    void purchasesFollowTheWeekAndTheYear() {
        Map<DayOfWeek, Integer> byDay = new HashMap<>();
        Map<Integer, Integer> byMonth = new HashMap<>();
        for (JsonNode e : EVENTS) {
            if (!e.path("type").asText().equals("purchase")) continue;
            LocalDate d = LocalDate.ofInstant(Instant.parse(e.path("eventTime").asText()), ZONE);
            byDay.merge(d.getDayOfWeek(), 1, Integer::sum);
            byMonth.merge(d.getMonthValue(), 1, Integer::sum);
        }
        assertThat(byDay.get(DayOfWeek.SATURDAY)).isGreaterThan(byDay.get(DayOfWeek.TUESDAY));
        assertThat(byDay.get(DayOfWeek.SUNDAY)).isLessThan(byDay.get(DayOfWeek.TUESDAY) / 2);
        assertThat(byMonth.get(12)).isGreaterThan((int) (byMonth.get(11) * 1.1));
        assertThat(byMonth.get(12)).isGreaterThan((int) (byMonth.get(10) * 1.2));
    }

    @Test
    void personasPreferTheirCategoriesAndShoppersAreLoyal() {
        Map<String, String> household = new HashMap<>();
        Map<String, String> cardOwner = new HashMap<>();
        Map<String, int[]> babyLines = new HashMap<>();   // household type -> [baby/toys/kids lines, all lines]
        Map<String, Map<String, Integer>> shopsByCard = new HashMap<>();
        for (JsonNode e : EVENTS) {
            String type = e.path("type").asText();
            if (type.equals("resident.registered")) household.put(e.path("resident").asText(), e.path("data").path("householdType").asText());
            if (type.equals("card.linked")) cardOwner.put(e.path("data").path("card").asText(), e.path("resident").asText());
            if (!type.equals("purchase")) continue;
            String card = e.path("card").asText();
            shopsByCard.computeIfAbsent(card, c -> new HashMap<>()).merge(e.path("participant").asText(), 1, Integer::sum);
            String h = household.get(cardOwner.get(card));
            if (h == null) continue;
            SimParticipant shop = CITY.participants().get(e.path("participant").asText());
            Map<String, String> categoryOf = new HashMap<>();
            shop.productGroups().forEach(g -> categoryOf.put(g.name(), g.category()));
            int[] counts = babyLines.computeIfAbsent(h, k -> new int[2]);
            for (JsonNode l : e.path("data").path("lines")) {
                String c = categoryOf.get(l.path("productGroup").asText());
                if (c.equals("drogerie.baby") || c.equals("freizeit.spielwaren") || c.equals("mode.kinder")) counts[0]++;
                counts[1]++;
            }
        }
        double family = (double) babyLines.get("FAMILY")[0] / babyLines.get("FAMILY")[1];
        double single = (double) babyLines.get("SINGLE")[0] / babyLines.get("SINGLE")[1];
        assertThat(family).as("families buy baby, toy and children's goods").isGreaterThan(single * 1.5);

        double topShare = 0;
        int cards = 0;
        for (Map<String, Integer> shops : shopsByCard.values()) {
            int total = shops.values().stream().mapToInt(Integer::intValue).sum();
            if (total < 20) continue;
            topShare += (double) shops.values().stream().mapToInt(Integer::intValue).max().orElse(0) / total;
            cards++;
        }
        assertThat(cards).isGreaterThan(100);
        assertThat(topShare / cards).as("share of a regular shopper's purchases at their favourite shop").isGreaterThan(0.2);
    }
}
