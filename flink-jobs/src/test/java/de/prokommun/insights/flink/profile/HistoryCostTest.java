package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.EmployerVoucherCredited;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.state.StateAccessTotals;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The cost of one more event, in keyed state entries read and written by the operators of the profile chain
 * (registration wait, de-duplication, profile with contribution ledger, journey ledger, person records), summed, and in
 * the serialized bytes of those entries, for people whose history is
 * 1 day to 3 years long: neither may grow with the history (a bounded number of entries can still hold values that
 * grow, which only the bytes show). The history is a regular shopper's: purchases at three shops twice a week, a club check-in and
 * bonus points every week, a monthly employer voucher credited and spent, newsletter subscriptions.
 */
class HistoryCostTest {
    private static final String SHOPPER = "pseudonym-regular";
    private static final List<String> SHOPS = List.of("baeckerei-schmidt", "edeka-mueller", "metzgerei-brand");
    /** A generous bound on the state entries one event touches; the point is that it is the same for every history. */
    private static final int BOUND = 120;
    /** A bound on the serialized bytes of the state entries one event reads and writes, whatever the history. */
    private static final int BYTES_BOUND = 24_000;
    /** What two more years of the profile's year tags may add to the bytes of an event (read and written). */
    private static final int YEAR_TAGS_BYTES = 1_200;
    /**
     * A bound on the journey ledger's part of those bytes. Before its rows were kept as fingerprints (each row's
     * text read only when it is negated) and its months written compactly, it read and wrote 6,951 bytes per event
     * after 1 day and 4,563 after 3 years (the text of every row of each family it recomputed, read and written whole).
     */
    private static final int JOURNEY_BYTES_BOUND = 2_500;
    /**
     * A bound on the open distinct counts' part (ledger-distinct-groups): 2,914 bytes per event after 1 day and 2,129
     * after 3 years while every key and opening row was written in full, 1,205 / 877 with shared texts and segments.
     */
    private static final int DISTINCT_BYTES_BOUND = 1_600;
    private static final int[] HISTORY_DAYS = {1, 30, 365, 1095};
    /** A history longer than the fixture city's retention of purchases (3 years). */
    private static final int BEYOND_RETENTION_DAYS = 1460;

    /** Each kind of event measured, as it is sent on the day after the history. */
    private static final Map<String, Function<Integer, Object>> NEXT_EVENTS = new LinkedHashMap<>();

    static {
        NEXT_EVENTS.put("purchase", n -> purchase("R-next-" + n));
        NEXT_EVENTS.put("check-in", n -> new EventCheckedIn("next-" + n, "freizeit.sport"));
        NEXT_EVENTS.put("bonus", n -> new BonusPointsEarned(25L, null));
        NEXT_EVENTS.put("retraction", n -> new PurchaseRetracted("R-" + (n - 2)));
    }

    @Test
    void oneMoreEventTouchesTheSameNumberOfStateEntriesWhateverTheHistory() throws Exception {
        Map<String, Map<Integer, Long>> table = new LinkedHashMap<>();
        for (int days : HISTORY_DAYS) {
            for (String kind : NEXT_EVENTS.keySet()) {
                long cost = costOfNextEvent(days, kind);
                table.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(days, cost);
            }
        }
        System.out.println("state entries read+written by one more event, by history length (days): " + table);
        table.forEach((kind, byDays) -> {
            assertThat(byDays.values()).as(kind).allSatisfy(c -> assertThat(c).isPositive().isLessThanOrEqualTo(BOUND));
            // the day of the week and month of the next event differ a little between histories, its cost barely
            assertThat(byDays.get(1095)).as(kind + " after 3 years vs after 1 year")
                    .isLessThanOrEqualTo(byDays.get(365) + 5);
            assertThat(byDays.get(1095)).as(kind + " after 3 years vs after 30 days")
                    .isLessThanOrEqualTo(byDays.get(30) + 10);
        });
    }

    /**
     * Bytes per event, averaged over the next two weeks of the same shopper's events: one event's bytes depend on
     * its calendar (whether the month's visits already reached the clamp, which flows change, ...), two weeks of
     * events on the history only.
     */
    @Test
    void theNextEventsTouchBoundedBytesOfStateWhateverTheHistory() throws Exception {
        Map<Integer, Long> bytesPerEvent = new LinkedHashMap<>();
        for (int days : HISTORY_DAYS) bytesPerEvent.put(days, bytesPerEventOfNextFortnight(days));
        bytesPerEvent.put(BEYOND_RETENTION_DAYS, bytesPerEventOfNextFortnight(BEYOND_RETENTION_DAYS));
        System.out.println("state bytes read+written per event of the next two weeks, by history length (days): "
                + bytesPerEvent);
        assertThat(bytesPerEvent.values()).allSatisfy(b -> assertThat(b).isPositive().isLessThanOrEqualTo(BYTES_BOUND));
        // The profile keeps a tag per category and year bought (audiences ask "bought X in year Y") for as long as
        // the city keeps purchases, so its value fills up over the retention (3 years), not over one year; once the
        // history reaches beyond the retention, nothing may grow any more.
        assertThat(bytesPerEvent.get(BEYOND_RETENTION_DAYS)).as("after 4 years vs after 3 years")
                .isLessThanOrEqualTo(bytesPerEvent.get(1095) + bytesPerEvent.get(1095) / 20);
        // Two more years of tags (the shopper's categories × year), each read and written with the profile: 1,054
        // bytes when measured (the same before and after the activity was cut to the newest the rules count).
        assertThat(bytesPerEvent.get(1095)).as("after 3 years vs after 1 year: only the year tags may add")
                .isLessThanOrEqualTo(bytesPerEvent.get(365) + YEAR_TAGS_BYTES);
    }

    /**
     * The live feed restamps a city's events to now, so one month of a person fills up with hundreds of events an
     * hour: the bytes of state one more event reads and writes must not grow with the events a person already has in
     * the month either (the journey counts only a month's first visitsPerPersonMonth facts of each kind).
     */
    @Test
    void theNextEventsTouchBoundedBytesOfStateWhateverTheEventsAlreadyInTheMonth() throws Exception {
        Map<Integer, Long> bytesPerEvent = new LinkedHashMap<>();
        for (int already : new int[] {40, 400, 1600}) bytesPerEvent.put(already, bytesPerEventInACrowdedMonth(already));
        System.out.println("state bytes read+written per event, by events already in the month: " + bytesPerEvent);
        assertThat(bytesPerEvent.values()).allSatisfy(b -> assertThat(b).isPositive().isLessThanOrEqualTo(BYTES_BOUND));
        // what still grows is the receipt calendar's index (16 bytes per 32 live receipts, about 600 bytes here) and
        // the profile's value (about 1,500 bytes read and written here); in absolute bytes, since the journey's share
        // of the base (rows still emitted while the month fills) is small now and a relative margin would shrink with it
        assertThat(bytesPerEvent.get(1600)).as("after 1,600 events in the month vs after 40")
                .isLessThanOrEqualTo(bytesPerEvent.get(40) + 2_500);
    }

    private static long bytesPerEventInACrowdedMonth(int already) throws Exception {
        try (ProfileChain h = new ProfileChain(Fixtures.cities(), Duration.ofDays(30))) {
            h.send(anonymous(SHOPPER, "reg", start() - 1000, registration(1980, HouseholdType.FAMILY, true, "Sport")));
            for (int i = 0; i < already; i++) crowdedEvent(h, i);
            StateAccessTotals count = h.stateAccesses();
            count.measureBytes(true);
            int measured = 40;
            for (int i = already; i < already + measured; i++) crowdedEvent(h, i);
            printByState(count, measured, "after " + already + " events in the month");
            return count.bytesTotal() / measured;
        }
    }

    /** Every 30 seconds of one day: purchases at the three shops, a club check-in and bonus points in turn. */
    private static void crowdedEvent(ProfileChain h, int i) throws Exception {
        long t = start() + i * 30_000L;
        switch (i % 5) {
            case 0, 1, 2 -> send(h, SHOPS.get(i % 3), "p" + i, t, purchase("R-" + i));
            case 3 -> send(h, "tus-saarn", "c" + i, t, new EventCheckedIn("h" + i, "freizeit.sport"));
            default -> send(h, SHOPS.get(i % 3), "b" + i, t, new BonusPointsEarned(40L, null));
        }
    }

    @Test
    void erasureAfterThreeYearsLeavesNoStateAndNoTimer() throws Exception {
        try (ProfileChain h = harnessWithHistory(1095)) {
            for (int operator = 0; operator < 4; operator++) { // the shopper has no gift vouchers: operator 4 holds nothing
                assertThat(h.numKeyedStateEntriesOf(operator)).as("operator %d holds state", operator).isGreaterThan(0);
            }
            h.send(anonymous(SHOPPER, "erase", dayAfter(1095) + 1, new ErasureRequested("test")));
            for (int operator = 0; operator < 5; operator++) {
                assertThat(h.numKeyedStateEntriesOf(operator)).as("operator %d after erasure", operator).isZero();
            }
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    private static long costOfNextEvent(int days, String kind) throws Exception {
        try (ProfileChain h = harnessWithHistory(days)) {
            StateAccessTotals count = h.stateAccesses();
            long before = count.total();
            int n = eventsOf(days);
            AnonymousEvent next = anonymous(SHOPPER, "next-" + kind, dayAfter(days), NEXT_EVENTS.get(kind).apply(n));
            // the portal may retract any receipt (a shop only its own, which would make this a dead letter)
            next.setParticipant(kind.equals("retraction") ? "portal" : SHOPS.get(0));
            h.send(next);
            return count.total() - before;
        }
    }

    private static long bytesPerEventOfNextFortnight(int days) throws Exception {
        try (ProfileChain h = harnessWithHistory(days)) {
            StateAccessTotals count = h.stateAccesses();
            count.measureBytes(true);
            int[] purchases = {eventsOf(days)};
            int events = 0;
            for (int d = days; d < days + 14; d++) events += day(h, d, days, purchases);
            printByState(count, events, "after " + days + " days");
            long journey = bytesOfStates(count, "journey-") / events;
            long distinct = bytesOfStates(count, "ledger-distinct-groups") / events;
            System.out.println("bytes read+written per event after " + days + " days: journey " + journey
                    + ", ledger-distinct-groups " + distinct);
            assertThat(journey).as("journey ledger's bytes per event after %d days", days)
                    .isPositive().isLessThanOrEqualTo(JOURNEY_BYTES_BOUND);
            assertThat(distinct).as("open distinct counts' bytes per event after %d days", days)
                    .isPositive().isLessThanOrEqualTo(DISTINCT_BYTES_BOUND);
            return count.bytesTotal() / events;
        }
    }

    /** Bytes read and written by the states whose names start so. */
    private static long bytesOfStates(StateAccessTotals count, String prefix) {
        long sum = 0;
        for (Map.Entry<String, long[]> e : count.bytesByState().entrySet()) {
            if (e.getKey().startsWith(prefix)) sum += e.getValue()[0] + e.getValue()[1];
        }
        return sum;
    }

    /** With -Dhistory.cost.by-state=true: where the bytes go. */
    private static void printByState(StateAccessTotals count, int events, String when) {
        if (!Boolean.getBoolean("history.cost.by-state")) return;
        StringBuilder b = new StringBuilder();
        count.bytesByState().forEach((name, rw) -> b.append(' ').append(name).append(' ')
                .append(rw[0] / events).append('/').append(rw[1] / events));
        System.out.println("bytes per event by state (read/written) " + when + ":" + b);
    }

    private static ProfileChain harnessWithHistory(int days) throws Exception {
        ProfileChain h = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
        long version = 1;
        for (String shop : SHOPS) {
            for (var g : Map.of("brot", "lebensmittel.backwaren", "obst", "lebensmittel.obst-gemuese").entrySet()) {
                h.mapping(new ProductGroupMapping(Fixtures.CITY, shop, g.getKey(), g.getValue(), version++));
            }
        }
        h.send(anonymous(SHOPPER, "reg", start() - 1000, registration(1980, HouseholdType.FAMILY, true, "Sport")));
        int[] purchases = {0};
        for (int d = 0; d < days; d++) day(h, d, days, purchases);
        return h;
    }

    /** The shopper's events of day {@code d} (receipts numbered on from purchases[0]); returns how many. */
    private static int day(ProfileChain h, int d, int days, int[] purchases) throws Exception {
        long t = start() + d * 86_400_000L;
        String shop = SHOPS.get(d % SHOPS.size());
        int n = 0;
        if (d % 7 == 1 || d % 7 == 4 || days == 1) n += send(h, shop, "p" + d, t, purchase("R-" + purchases[0]++));
        if (d % 7 == 5) n += send(h, "tus-saarn", "c" + d, t, new EventCheckedIn("h" + d, "freizeit.sport"));
        if (d % 7 == 2) n += send(h, shop, "b" + d, t, new BonusPointsEarned(40L, null));
        if (d % 30 == 0) n += send(h, "portal", "e" + d, t, new EmployerVoucherCredited("stadtwerke", 5000L));
        if (d % 30 == 10) n += send(h, shop, "v" + d, t, new EmployerVoucherRedeemed(3000L, null));
        if (d % 90 == 3) n += send(h, shop, "n" + d, t, new NewsletterSubscribed("news-" + d));
        return n;
    }

    /** Purchases in a history of this many days (the receipts are R-0 .. R-(n-1)). */
    private static int eventsOf(int days) {
        int n = 0;
        for (int d = 0; d < days; d++) if (d % 7 == 1 || d % 7 == 4 || days == 1) n++;
        return n;
    }

    private static int send(ProfileChain h, String participant, String id, long time, Object payload) throws Exception {
        AnonymousEvent e = anonymous(SHOPPER, id, time, payload);
        e.setParticipant(participant);
        h.send(e);
        return 1;
    }

    private static Purchase purchase(String receipt) {
        return new Purchase(receipt, List.of(new PurchaseLine("brot", 1, 350L), new PurchaseLine("obst", 2, 480L)), List.of());
    }

    private static long start() {
        return ZonedDateTime.of(2023, 6, 1, 10, 0, 0, 0, Fixtures.BERLIN).toInstant().toEpochMilli();
    }

    private static long dayAfter(int days) {
        return start() + days * 86_400_000L;
    }
}
