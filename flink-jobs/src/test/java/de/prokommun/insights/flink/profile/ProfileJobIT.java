package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static de.prokommun.insights.flink.Fixtures.startOfYear;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousProfileChange;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.KafkaIO;
import de.prokommun.insights.flink.KafkaTestBed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The profile job on a Flink MiniCluster (parallelism 2) against a real Kafka broker, exactly-once. */
class ProfileJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaTestBed.miniCluster();
    @RegisterExtension
    static final KafkaTestBed KAFKA = new KafkaTestBed("profile-it.", Map.of(FlinkJobsConfig.SOURCE_IDLENESS.name(), "1s"));

    @Test
    void anonymousEventsBecomeProfileRows() throws Exception {
        Settings settings = KAFKA.settings();
        JobClient job = KAFKA.submit("profile-it", settings, ProfileJob::buildOnKafka);
        try (KafkaIO io = KAFKA.io()) {
            send(io, anonymous("dora", "d-reg", at(2025, 6, 1), registration(2008, HouseholdType.FAMILY, true)));
            // dora's 2025 row first: otherwise a source subtask that starts late is idle for a moment, the 2026
            // events of the other partition move the stream clock past 1 January and dora is 18 from the start
            io.readUntil(Topics.PROFILES, r -> of(KafkaIO.decode(Topics.PROFILES, r), "dora").size() == 1, Duration.ofSeconds(60));
            send(io, anonymous("anna", "a-reg", at(2026, 3, 1), registration(2003, HouseholdType.SINGLE, true, "uni")));
            send(io, anonymous("anna", "a-v1", at(2026, 3, 2), new GiftVoucherRedeemed("V1", 1000L, null)));
            send(io, anonymous("anna", "a-v1", at(2026, 3, 2), new GiftVoucherRedeemed("V1", 1000L, null)));
            io.sendBytes(Topics.ANONYMOUS_EVENTS, "anna", "poison".getBytes(StandardCharsets.UTF_8));
            send(io, anonymous("anna", "a-move", at(2026, 3, 3), AnonymousProfileChange.newBuilder().setDistrict("Broich").build()));
            send(io, anonymous("anna", "a-v2", at(2026, 3, 4), new GiftVoucherRedeemed("V2", 1000L, null)));
            send(io, anonymous("bert", "b-reg", at(2026, 3, 1), registration(1980, HouseholdType.COUPLE, false)));
            send(io, anonymous("bert", "b-buy", at(2026, 3, 2), Fixtures.purchase("B-1", PaymentKind.CARD)));
            send(io, anonymous("carla", "c-reg", at(2026, 3, 1), registration(1950, HouseholdType.SINGLE, true)));
            send(io, anonymous("carla", "c-erase", at(2026, 3, 5), new ErasureRequested(null)));

            Predicate<List<ProfileRow>> done = rows ->
                    rows.stream().anyMatch(r -> r.getPseudonym().equals("anna") && r.getPersonas().contains("voucher_user"))
                    && rows.stream().anyMatch(r -> r.getPseudonym().equals("carla") && r.getDeleted())
                    && rows.stream().anyMatch(r -> r.getPseudonym().equals("dora") && Integer.valueOf(18).equals(r.getAge()));
            List<ConsumerRecord<byte[], byte[]>> records = io.readUntil(Topics.PROFILES,
                    r -> done.test(KafkaIO.decode(Topics.PROFILES, r)), Duration.ofSeconds(60));
            List<ProfileRow> rows = KafkaIO.decode(Topics.PROFILES, records);
            assertThat(done.test(rows)).as("rows seen: %s", rows).isTrue();

            List<ProfileRow> anna = of(rows, "anna");
            assertThat(anna).hasSize(4);
            ProfileRow moved = anna.stream().filter(r -> "Broich".equals(r.getDistrict())).findFirst().orElseThrow();
            assertThat(moved.getPersonas()).as("the duplicate voucher redemption counted once").doesNotContain("voucher_user");
            assertThat(anna.get(3).getPersonas()).contains("voucher_user", "student", "young_adult", "single");
            assertThat(anna).extracting(ProfileRow::getVersion).isSorted().doesNotHaveDuplicates();

            assertThat(of(rows, "bert")).as("no analytics consent, no profile").isEmpty();

            List<ProfileRow> carla = of(rows, "carla");
            assertThat(carla).hasSize(2);
            assertThat(carla.get(1).getDeleted()).isTrue();
            assertThat(carla.get(1).getBirthYear()).isNull();

            List<ProfileRow> dora = of(rows, "dora");
            assertThat(dora.get(0).getAgeBand()).isEqualTo("14-17");
            assertThat(dora.get(1).getAgeBand()).isEqualTo("18-24");
            assertThat(dora.get(1).getUpdatedAt()).as("rolled over by the watermark on 1 January").isEqualTo(startOfYear(2026));

            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Topics.PROFILES.codec().decode(r.value()).getPseudonym());
            }

            // issue 14: person-records is keyed by the record (so that Kafka's compaction removes superseded
            // versions), every record of a person in the partition Kafka gives the pseudonym as a key
            List<ConsumerRecord<byte[], byte[]>> personRecords = io.readUntil(Topics.PERSON_RECORDS,
                    rs -> KafkaIO.decode(Topics.PERSON_RECORDS, rs).stream().filter(r -> r.getPseudonym().equals("anna"))
                            .count() >= 2, Duration.ofSeconds(60));
            assertThat(KafkaIO.decode(Topics.PERSON_RECORDS, personRecords)).extracting(PersonRecord::getPseudonym)
                    .contains("anna", "anna");
            for (ConsumerRecord<byte[], byte[]> r : personRecords) {
                PersonRecord record = Topics.PERSON_RECORDS.codec().decode(r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo(record.getPseudonym() + "/" + record.getRecordId());
                assertThat(r.partition()).as("the partition of %s", record.getPseudonym()).isEqualTo(
                        BuiltInPartitioner.partitionForKey(record.getPseudonym().getBytes(StandardCharsets.UTF_8), 2));
            }

            List<DeadLetter> dead = KafkaIO.decode(Topics.DEAD_LETTERS,
                    io.readUntil(Topics.DEAD_LETTERS, r -> !r.isEmpty(), Duration.ofSeconds(30)));
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.getStage()).isEqualTo(AnonymousEventDecoder.STAGE);
                assertThat(d.getReason()).startsWith("undecodable AnonymousEvent");
                assertThat(d.getSourceTopic()).isEqualTo(Topics.ANONYMOUS_EVENTS.name(settings));
            });
        } finally {
            job.cancel().get();
        }
    }

    /**
     * Issue 15, finding 1, the membership probe: a participant submits one purchase per resident reference it knows,
     * each with a unique unmapped product group. The report's measure counts every submitted purchase before the
     * wait for a consented registration, so the consenting resident, the one without analytics consent and a
     * reference nobody registered show alike. The ledger's own resident-derived unmapped_line, which told them apart,
     * is no longer emitted at all (issue 14, item 8): no row beside a segment carries a raw product group.
     */
    @Test
    void theUnmappedReportCountsEverySubmittedPurchaseConsentOrNot() throws Exception {
        Settings settings = KAFKA.withTopics("membership-it.");
        JobClient job = KAFKA.submit("membership-it", settings, ProfileJob::buildOnKafka);
        try (KafkaIO io = KAFKA.io(settings)) {
            send(io, anonymous("erik", "e-reg", at(2026, 3, 1), registration(1980, HouseholdType.SINGLE, true)));
            send(io, anonymous("fritz", "f-reg", at(2026, 3, 1), registration(1981, HouseholdType.SINGLE, false)));
            Map<String, String> groupOf = Map.of("erik", "probe-erik", "fritz", "probe-fritz", "gina", "probe-gina");
            for (var e : new TreeMap<>(groupOf).entrySet()) {
                PurchaseLine[] lines = new PurchaseLine[40];
                for (int i = 0; i < lines.length; i++) lines[i] = new PurchaseLine(e.getValue(), 1, 100L);
                send(io, ContributionLedgerTest.purchase(e.getKey(), e.getKey() + "-buy", "getraenke", at(2026, 3, 2),
                        "R-" + e.getKey(), lines));
            }
            Predicate<List<ContributionDelta>> done = ds -> groupOf.values().stream().allMatch(g -> ds.stream().anyMatch(d ->
                    d.getMeasure().equals("submitted_unmapped_line") && g.equals(d.getCategory())))
                    && ds.stream().anyMatch(d -> d.getMeasure().equals("purchase") && "unmapped".equals(d.getCategory()));
            List<ContributionDelta> deltas = KafkaIO.decode(Topics.CONTRIBUTIONS, io.readUntil(Topics.CONTRIBUTIONS,
                    r -> done.test(KafkaIO.decode(Topics.CONTRIBUTIONS, r)), Duration.ofSeconds(90)));
            assertThat(done.test(deltas)).as("contributions seen: %s", deltas).isTrue();
            for (String group : groupOf.values()) {
                assertThat(deltas).filteredOn(d -> d.getMeasure().equals("submitted_unmapped_line") && group.equals(d.getCategory()))
                        .as("the report's lines of %s", group).singleElement().satisfies(d -> {
                            assertThat(d.getCount()).isEqualTo(40L);
                            assertThat(d.getParticipant()).isEqualTo("getraenke");
                            assertThat(d.getGender()).isEqualTo("UNKNOWN");
                            assertThat(d.getPersonas()).isEmpty();
                        });
            }
            assertThat(deltas).filteredOn(d -> d.getMeasure().equals("purchase")).extracting(ContributionDelta::getCategory)
                    .as("erik's profiled purchase counts under the mapped category only").containsOnly("unmapped");
            assertThat(deltas).filteredOn(d -> !d.getMeasure().equals("submitted_unmapped_line"))
                    .as("no resident-derived row carries a raw product group (issue 14, item 8)")
                    .noneMatch(d -> (d.getCategory() != null && groupOf.containsValue(d.getCategory()))
                            || d.getMeasure().equals("unmapped_line"));
        } finally {
            job.cancel().get();
        }
    }

    // ---- the contribution ledger end to end ----------------------------------------------------------------------

    private static final String BAKERY = "baeckerei";
    private static final String BUTCHER = "metzgerei";
    private static final String BREAD = "lebensmittel.backwaren";
    private static final String MEAT = "lebensmittel.fleisch-wurst";

    /** The segment a person's contributions carry: age band, gender, district, household type, personas. */
    record Seg(String ageBand, String gender, String district, String household, List<String> personas) {}

    @Test
    void contributionsSumToADirectComputationFromTheRemainingEvents() throws Exception {
        Settings ledger = KAFKA.withTopics("ledger-it.");
        JobClient job = KAFKA.submit("ledger-it", ledger, ProfileJob::buildOnKafka);
        Map<String, String> mappings = Map.of(BAKERY + "/brot", BREAD, BUTCHER + "/wurst", MEAT);
        List<AnonymousEvent> sent = new ArrayList<>();
        try (KafkaIO io = KAFKA.io(ledger)) {
            for (Map.Entry<String, String> m : mappings.entrySet()) {
                String[] pg = m.getKey().split("/");
                ProductGroupMapping mapping = new ProductGroupMapping(Fixtures.CITY, pg[0], pg[1], m.getValue(), 1L);
                io.send(Topics.PRODUCT_GROUP_MAPPINGS, de.prokommun.insights.flink.ledger.ProductGroups.keyOf(mapping), mapping);
            }
            awaitMappings(io, sent);

            Consumer<AnonymousEvent> send = e -> {
                sent.add(e);
                try {
                    send(io, e);
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            };
            send.accept(anonymous("anna", "a-reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
            send.accept(ContributionLedgerTest.purchase("anna", "a-p1", BAKERY, at(2026, 3, 2), "A-1",
                    new PurchaseLine("brot", 2, 450L), new PurchaseLine("kaffee", 1, 300L)));
            send.accept(ContributionLedgerTest.purchase("anna", "a-p2", BAKERY, at(2026, 3, 15), "A-2", new PurchaseLine("brot", 1, 200L)));
            send.accept(ContributionLedgerTest.purchase("anna", "a-p3", BUTCHER, at(2025, 6, 10), "A-3", new PurchaseLine("wurst", 1, 900L)));
            send.accept(ContributionLedgerTest.by("buchhandlung", anonymous("anna", "a-v", at(2026, 3, 16), new GiftVoucherRedeemed("G-1", 2000L, null))));
            send.accept(ContributionLedgerTest.by(BAKERY, anonymous("anna", "a-r2", at(2026, 3, 20), new PurchaseRetracted("A-2"))));
            send.accept(anonymous("bert", "b-reg", at(2026, 3, 1), registration(1980, HouseholdType.COUPLE, true)));
            send.accept(ContributionLedgerTest.purchase("bert", "b-p1", BAKERY, at(2026, 3, 2), "B-1", new PurchaseLine("brot", 3, 600L)));
            send.accept(ContributionLedgerTest.purchase("bert", "b-p1", BAKERY, at(2026, 3, 2), "B-1", new PurchaseLine("brot", 3, 600L)));
            send.accept(ContributionLedgerTest.purchase("bert", "b-p2", BUTCHER, at(2026, 3, 5), "B-2",
                    new PurchaseLine("wurst", 1, 500L), new PurchaseLine("kaese", 2, 700L)));
            send.accept(anonymous("bert", "b-c", at(2026, 3, 6), new EventCheckedIn("turnier", "club")));
            send.accept(anonymous("carla", "c-reg", at(2026, 3, 1), registration(1950, HouseholdType.SINGLE, true)));
            send.accept(ContributionLedgerTest.purchase("carla", "c-p1", BAKERY, at(2026, 3, 2), "C-1", new PurchaseLine("brot", 1, 150L)));
            send.accept(anonymous("carla", "c-v", at(2026, 3, 3), new EmployerVoucherRedeemed(4000L, null)));
            send.accept(anonymous("carla", "c-x", at(2026, 3, 10), new ErasureRequested(null)));
            // emil reaches the purchase clamp for bread in April (22 receipts, one retracted: 21 live) and the spend
            // clamp for meat in May (85,000 cents, one retracted: 55,000); from his 4th purchase he is a regular_shopper
            send.accept(anonymous("emil", "e-reg", at(2026, 4, 1), registration(1985, HouseholdType.SINGLE, true)));
            for (int i = 1; i <= 22; i++) {
                PurchaseLine bread = new PurchaseLine("brot", 1, 150L);
                send.accept(i % 2 == 0
                        ? ContributionLedgerTest.purchase("emil", "e-p" + i, BAKERY, at(2026, 4, i), "E-" + i, bread,
                                new PurchaseLine("kaffee", 1, 100L))
                        : ContributionLedgerTest.purchase("emil", "e-p" + i, BAKERY, at(2026, 4, i), "E-" + i, bread));
            }
            send.accept(ContributionLedgerTest.by(BAKERY, anonymous("emil", "e-r1", at(2026, 4, 25), new PurchaseRetracted("E-1"))));
            send.accept(ContributionLedgerTest.purchase("emil", "e-big1", BUTCHER, at(2026, 5, 2), "E-big1", new PurchaseLine("wurst", 1, 30_000L)));
            send.accept(ContributionLedgerTest.purchase("emil", "e-big2", BUTCHER, at(2026, 5, 3), "E-big2", new PurchaseLine("wurst", 1, 30_000L)));
            send.accept(ContributionLedgerTest.purchase("emil", "e-big3", BUTCHER, at(2026, 5, 4), "E-big3", new PurchaseLine("wurst", 2, 25_000L)));
            send.accept(ContributionLedgerTest.by(BUTCHER, anonymous("emil", "e-rbig1", at(2026, 5, 5), new PurchaseRetracted("E-big1"))));
            send.accept(anonymous("dieter", "d-reg", at(2026, 3, 1), registration(1970, HouseholdType.FAMILY, false)));
            send.accept(ContributionLedgerTest.purchase("dieter", "d-p1", BAKERY, at(2026, 3, 2), "D-1", new PurchaseLine("brot", 1, 100L)));

            Map<String, Seg> segments = Map.of(
                    "anna", new Seg("35-49", "FEMALE", "Saarn", "SINGLE", List.of("single")),
                    "bert", new Seg("35-49", "FEMALE", "Saarn", "COUPLE", List.of("couple")),
                    "carla", new Seg("65-79", "FEMALE", "Saarn", "SINGLE", List.of("single", "senior")),
                    "dieter", new Seg("50-64", "FEMALE", "Saarn", "FAMILY", List.of("family", "best_ager")),
                    "emil", new Seg("35-49", "FEMALE", "Saarn", "SINGLE", List.of("single")));
            for (int k = 1; k <= 9; k++) {
                segments = with(segments, "probe-" + k, new Seg("35-49", "FEMALE", "Saarn", "SINGLE", List.of("single")));
            }
            long[] clamps = clampsOf(Fixtures.CITIES_DIR.resolve(Fixtures.CITY).resolve("privacy.json"));
            Map<String, List<Long>> expected = ContributionLedgerTest.sums(direct(sent, mappings, segments, clamps));
            assertThat(expected).as("the scenario contributes something").isNotEmpty();
            assertThat(expected.entrySet()).as("emil's purchases reach the purchase clamp in April").anyMatch(e ->
                    e.getKey().contains("|purchase_clamped|") && e.getKey().contains("|202604|")
                            && e.getValue().get(0) == clamps[0]);
            assertThat(expected.entrySet()).as("probes and emil reach the spend clamp").anyMatch(e ->
                    e.getKey().contains("|spend_clamped|") && e.getValue().get(2) == clamps[1]);

            int matched = io.readUntil(Topics.CONTRIBUTIONS,
                    r -> ContributionLedgerTest.sums(ContributionLedgerTest.ledgerOnly(KafkaIO.decode(Topics.CONTRIBUTIONS, r)))
                            .equals(expected), Duration.ofSeconds(90)).size();
            // a moment longer, so that rows beyond the expected ones would show up
            List<ConsumerRecord<byte[], byte[]>> records = io.readUntil(Topics.CONTRIBUTIONS, r -> r.size() > matched, Duration.ofSeconds(3));
            List<ContributionDelta> deltas = KafkaIO.decode(Topics.CONTRIBUTIONS, records);
            // the journey measures have their own oracle (journey.JourneyLedgerTest); this one computes the ledger's
            assertThat(ContributionLedgerTest.sums(ContributionLedgerTest.ledgerOnly(deltas))).isEqualTo(expected);

            for (ConsumerRecord<byte[], byte[]> r : records) {
                ContributionDelta d = Topics.CONTRIBUTIONS.codec().decode(r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(d.getCity() + "/" + d.getMeasure());
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("anna", "bert", "carla", "emil", "probe");
            }
            List<ProfileRow> rows = KafkaIO.decode(Topics.PROFILES, io.readUntil(Topics.PROFILES,
                    r -> KafkaIO.decode(Topics.PROFILES, r).stream().anyMatch(p -> p.getPseudonym().equals("anna")
                            && p.getLastPurchaseDay() != null && p.getLastPurchaseDay() == (int) LocalDate.of(2026, 3, 2).toEpochDay()
                            && p.getPurchaseTags().size() == 4), Duration.ofSeconds(30)));
            ProfileRow anna = of(rows, "anna").get(of(rows, "anna").size() - 1);
            assertThat(anna.getPurchaseTags()).containsExactly("category:" + BREAD + ":2026", "category:" + MEAT + ":2025",
                    "customer:" + BAKERY, "customer:" + BUTCHER);
            assertThat(anna.getLastPurchaseDay()).as("the retracted purchase of 15 March no longer counts")
                    .isEqualTo((int) LocalDate.of(2026, 3, 2).toEpochDay());
        } finally {
            job.cancel().get();
        }
    }

    private static Map<String, Seg> with(Map<String, Seg> m, String k, Seg v) {
        Map<String, Seg> out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }

    /**
     * Sends probe purchases until one is counted under its mapped category: the mapping and the event streams are
     * independent, so the test waits until the mappings have reached the profile builder. Probes counted as
     * unmapped are erased again (which the direct computation then leaves out).
     */
    private static void awaitMappings(KafkaIO io, List<AnonymousEvent> sent) throws Exception {
        for (int k = 1; k <= 9; k++) {
            String probe = "probe-" + k;
            long amount = 100_000L + k;
            List<AnonymousEvent> events = List.of(
                    anonymous(probe, probe + "-reg", at(2026, 2, 1), registration(1990, HouseholdType.SINGLE, true)),
                    ContributionLedgerTest.purchase(probe, probe + "-p", BAKERY, at(2026, 2, 2), "P-" + k,
                            new PurchaseLine("brot", 1, amount)));
            for (AnonymousEvent e : events) {
                sent.add(e);
                send(io, e);
            }
            Predicate<ContributionDelta> probePurchase = d -> d.getMeasure().equals("purchase") && d.getAmountCents() == amount;
            List<ContributionDelta> seen = KafkaIO.decode(Topics.CONTRIBUTIONS, io.readUntil(Topics.CONTRIBUTIONS,
                    r -> KafkaIO.decode(Topics.CONTRIBUTIONS, r).stream().anyMatch(probePurchase), Duration.ofSeconds(60)));
            if (seen.stream().anyMatch(d -> probePurchase.test(d) && BREAD.equals(d.getCategory()))) return;
            AnonymousEvent erase = anonymous(probe, probe + "-x", at(2026, 2, 3), new ErasureRequested(null));
            sent.add(erase);
            send(io, erase);
        }
        throw new AssertionError("the product-group mappings never reached the profile builder");
    }

    /** {purchasesPerPersonMonth, spendCentsPerPersonMonth} read straight from the city's privacy.json. */
    private static long[] clampsOf(Path privacyJson) throws Exception {
        com.fasterxml.jackson.databind.JsonNode clamps = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(privacyJson.toFile()).get("clamps");
        return new long[] {clamps.get("purchasesPerPersonMonth").asLong(), clamps.get("spendCentsPerPersonMonth").asLong()};
    }

    /**
     * The expected contributions computed directly from the events, independently of the ledger: for every person
     * who registered with consent and was not erased, every event counted once (participant + event id), without
     * retracted receipts. The clamped measures: per person, category and month, min(receipts with that category,
     * clamps[0]) and min(their amount in that category, clamps[1]), as one row on the first day of the month.
     * Every row carries the person's segment at its event; a row per person and period (distinct counts, clamped
     * measures) the segment of its first remaining event (the scenario retracts no opener whose segment differs).
     */
    static List<ContributionDelta> direct(List<AnonymousEvent> events, Map<String, String> mappings, Map<String, Seg> segments,
                                          long[] clamps) {
        Set<String> consented = new HashSet<>();
        Set<String> erased = new HashSet<>();
        Set<String> retracted = new HashSet<>();
        Set<String> seenIds = new HashSet<>();
        List<AnonymousEvent> unique = new ArrayList<>();
        for (AnonymousEvent e : events) {
            if (!seenIds.add(e.getPseudonym() + "/" + e.getParticipant() + "/" + e.getEventId())) continue;
            unique.add(e);
            Object p = e.getPayload();
            if (p instanceof AnonymousRegistration r && r.getConsents().getAnalytics()) consented.add(e.getPseudonym());
            if (p instanceof ErasureRequested) erased.add(e.getPseudonym());
            if (p instanceof PurchaseRetracted r) retracted.add(e.getPseudonym() + "/" + r.getReceipt());
        }
        List<ContributionDelta> out = new ArrayList<>();
        Map<String, Map<List<Object>, Seg>> distinct = new HashMap<>();
        Map<String, Map<List<Object>, MonthTotals>> perMonth = new HashMap<>();
        Map<String, List<LocalDate>> purchaseDays = new HashMap<>();
        for (AnonymousEvent e : unique) {
            String who = e.getPseudonym();
            if (!consented.contains(who) || erased.contains(who)) continue;
            LocalDate date = Instant.ofEpochMilli(e.getEventTime()).atZone(Fixtures.BERLIN).toLocalDate();
            Object p = e.getPayload();
            List<LocalDate> bought = purchaseDays.computeIfAbsent(who, k -> new ArrayList<>());
            if (p instanceof Purchase) bought.add(date); // a later retraction does not undo the activity
            Seg seg = segmentAt(segments.get(who), bought, date);
            Map<List<Object>, Seg> keys = distinct.computeIfAbsent(who, k -> new HashMap<>());
            if (p instanceof PurchaseRetracted || p instanceof ErasureRequested) continue;
            if (p instanceof Purchase purchase) {
                if (retracted.contains(who + "/" + purchase.getReceipt())) continue;
                Map<String, long[]> byCategory = new TreeMap<>();
                for (PurchaseLine line : purchase.getLines()) {
                    String category = mappings.get(e.getParticipant() + "/" + line.getProductGroup());
                    if (category == null) category = "unmapped";
                    add(byCategory.computeIfAbsent(category, k -> new long[3]), line);
                }
                Map<List<Object>, MonthTotals> months = perMonth.computeIfAbsent(who, k -> new HashMap<>());
                byCategory.forEach((c, s) -> {
                    MonthTotals month = months.computeIfAbsent(List.of(c, date.withDayOfMonth(1)), k -> new MonthTotals(seg));
                    month.receipts += 1;
                    month.spendCents += s[2];
                    out.add(row(seg, "purchase", date, e.getParticipant(), c, 1, s[1], s[2]));
                    keys.putIfAbsent(List.of("buyer_month", "", c, date.withDayOfMonth(1)), seg);
                    keys.putIfAbsent(List.of("buyer_year", "", c, date.withDayOfYear(1)), seg);
                });
                keys.putIfAbsent(List.of("customer_month", e.getParticipant(), "", date.withDayOfMonth(1)), seg);
                keys.putIfAbsent(List.of("customer_year", e.getParticipant(), "", date.withDayOfYear(1)), seg);
            } else if (p instanceof AnonymousRegistration) {
                out.add(row(seg, "registration", date, null, null, 1, 0, 0));
            } else if (p instanceof GiftVoucherRedeemed v) {
                out.add(row(seg, "voucher_redemption", date, e.getParticipant(), "gift_voucher", 1, 0, v.getAmountCents()));
            } else if (p instanceof EmployerVoucherRedeemed v) {
                out.add(row(seg, "voucher_redemption", date, e.getParticipant(), "employer_voucher", 1, 0, v.getAmountCents()));
            }
            keys.putIfAbsent(List.of("active_resident", "", "", date), seg);
        }
        perMonth.forEach((who, months) -> months.forEach((k, totals) -> {
            String category = (String) k.get(0);
            LocalDate first = (LocalDate) k.get(1);
            out.add(row(totals.seg, "purchase_clamped", first, null, category, Math.min(totals.receipts, clamps[0]), 0, 0));
            out.add(row(totals.seg, "spend_clamped", first, null, category, 0, 0, Math.min(totals.spendCents, clamps[1])));
        }));
        distinct.forEach((who, keys) -> keys.forEach((k, seg) -> {
            String participant = k.get(1).equals("") ? null : (String) k.get(1);
            String category = k.get(2).equals("") ? null : (String) k.get(2);
            out.add(row(seg, (String) k.get(0), (LocalDate) k.get(3), participant, category, 1, 0, 0));
        }));
        return out;
    }

    /** A person's live receipts and their amount in one category and month, and the segment of the first. */
    private static final class MonthTotals {
        final Seg seg;
        long receipts;
        long spendCents;

        MonthTotals(Seg seg) {
            this.seg = seg;
        }
    }

    /**
     * The person's segment at an event of {@code day}: the fixed one, plus Musterstadt's behavioural persona
     * regular_shopper (at least 4 purchases within the last 30 days) — the only persona the scenario's events change.
     */
    private static Seg segmentAt(Seg base, List<LocalDate> purchaseDays, LocalDate day) {
        long recent = purchaseDays.stream().filter(d -> !d.isAfter(day) && d.isAfter(day.minusDays(30))).count();
        if (recent < 4) return base;
        List<String> personas = new ArrayList<>(base.personas());
        personas.add("regular_shopper");
        return new Seg(base.ageBand(), base.gender(), base.district(), base.household(), personas);
    }

    private static void add(long[] sums, PurchaseLine line) {
        sums[0] += 1;
        sums[1] += line.getQuantity();
        sums[2] += line.getAmountCents();
    }

    private static ContributionDelta row(Seg seg, String measure, LocalDate date, String participant, String category,
                                         long count, long quantity, long amount) {
        return ContributionDelta.newBuilder().setCity(Fixtures.CITY).setMeasure(measure).setDay((int) date.toEpochDay())
                .setMonth(date.getYear() * 100 + date.getMonthValue()).setYear(date.getYear())
                .setParticipant(participant).setCategory(category).setAgeBand(seg.ageBand()).setGender(seg.gender())
                .setDistrict(seg.district()).setHouseholdType(seg.household()).setPersonas(seg.personas())
                .setCount(count).setQuantity(quantity).setAmountCents(amount).setEventTime(0L).build();
    }

    private static List<ProfileRow> of(List<ProfileRow> rows, String pseudonym) {
        return rows.stream().filter(r -> r.getPseudonym().equals(pseudonym)).toList();
    }

    private static void send(KafkaIO io, AnonymousEvent e) throws Exception {
        io.send(Topics.ANONYMOUS_EVENTS, e.getPseudonym(), e);
    }
}
