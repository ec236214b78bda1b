package de.prokommun.insights.flink.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignAudience;
import de.prokommun.insights.events.CampaignChannel;
import de.prokommun.insights.events.CampaignDelivery;
import de.prokommun.insights.events.CampaignOffer;
import de.prokommun.insights.events.CampaignStatus;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.ResidentContact;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.KafkaIO;
import de.prokommun.insights.flink.KafkaTestBed;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The campaign job on a MiniCluster (parallelism 2) against embedded Kafka: the portal outbox equals a plain-Java
 * oracle over the posted profile rows and contacts (matching, consenting, not objecting, not erased, not in the
 * control group), before and after one resident withdraws consent, one objects to the participant, one is erased and
 * one newly matches; the campaign rows net to the oracle's groups; ending the campaign withdraws every standing offer
 * and a later match gets none; a second campaign's recipient cap holds (the weekly
 * cap, 2, does not bind with two campaigns; CampaignMatcherTest covers it).
 */
class CampaignJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaTestBed.miniCluster();
    @RegisterExtension
    static final KafkaTestBed KAFKA = new KafkaTestBed("campaign-it.", Map.of());

    private static final String CITY = Fixtures.CITY;
    private static final String SHOP = "baeckerei-schmidt";
    private static final int CONTROL_PER_MILLE = 250;

    @Test
    void theOutboxFollowsTheOracleThroughConsentObjectionErasureAndANewMatch() throws Exception {
        long now = System.currentTimeMillis();
        Campaign campaign = Campaign.newBuilder().setCity(CITY).setCampaignId("c-it").setParticipant(SHOP)
                .setAudience(CampaignAudience.newBuilder().setInterests(List.of("sport")).setAgeFrom(25).build())
                .setOffer(CampaignOffer.newBuilder().setTitle("Frühstück").setText("Zwei Brötchen gratis")
                        .setValidFrom(now - 3_600_000L).setValidUntil(now + 7L * 24 * 3_600_000L).setCode("BROT").build())
                .setChannel(CampaignChannel.PORTAL_INBOX).setControlPerMille(CONTROL_PER_MILLE)
                .setStatus(CampaignStatus.RUNNING).setCreatedAt(now).setUpdatedAt(now).build();

        Map<String, ProfileRow> rows = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            String p = "pseudonym-" + i;
            rows.put(p, ProfileRow.newBuilder().setPseudonym(p).setCity(CITY).setBirthYear(1960 + i).setAge(66 - i)
                    .setAgeBand("x").setGender("FEMALE").setHouseholdType("SINGLE")
                    .setInterests(i % 3 == 0 ? List.of("kultur") : List.of("sport"))
                    .setConsentOffers(i % 7 != 0)
                    .setOfferObjections(i % 11 == 5 ? List.of("all") : List.of())
                    .setUpdatedAt(now).setVersion(1L).build());
        }
        Map<String, String> contacts = new HashMap<>();
        rows.keySet().forEach(p -> contacts.put(p, "R-" + p.substring("pseudonym-".length())));

        JobClient job = KAFKA.submit("campaign-it", KAFKA.settings(), CampaignJob::buildOnKafka);
        try (KafkaIO io = KAFKA.io()) {
            io.send(Topics.CAMPAIGNS, CITY + "/c-it", campaign);
            // a second campaign of another shop for everyone, capped at 3 recipients
            io.send(Topics.CAMPAIGNS, CITY + "/c-cap", Campaign.newBuilder(campaign).setCampaignId("c-cap")
                    .setParticipant("weinhandlung-berg").setAudience(CampaignAudience.newBuilder().build())
                    .setControlPerMille(0).setRecipientCap(3L).build());
            for (ProfileRow r : rows.values()) {
                io.send(Topics.PROFILES, r.getPseudonym(), r);
                io.send(Topics.RESIDENT_CONTACTS, CITY + "/" + r.getPseudonym(),
                        new ResidentContact(CITY, r.getPseudonym(), contacts.get(r.getPseudonym())));
            }
            Set<String> everConsenting = new TreeSet<>();
            rows.values().stream().filter(r -> r.getConsentOffers() && r.getOfferObjections().isEmpty())
                    .forEach(r -> everConsenting.add(contacts.get(r.getPseudonym())));
            Set<String> before = oracle(rows.values(), contacts);
            assertThat(before).hasSizeGreaterThan(10);
            assertThat(awaitOutbox(io, before)).isEqualTo(before);

            // one withdraws consent, one objects to the participant, one is erased, one newly matches
            List<String> delivered = new ArrayList<>(pseudonymsOf(before, contacts));
            String withdraws = delivered.get(0);
            String objects = delivered.get(1);
            String erased = delivered.get(2);
            String joins = rows.values().stream().filter(r -> !eligible(r) && r.getConsentOffers()
                            && r.getOfferObjections().isEmpty() && r.getInterests().contains("kultur")
                            && !isControl("c-it", r.getPseudonym()))
                    .map(ProfileRow::getPseudonym).findFirst().orElseThrow();
            Set<String> everEligible = new TreeSet<>();
            rows.values().stream().filter(CampaignJobIT::eligible).forEach(r -> everEligible.add(r.getPseudonym()));
            rows.put(withdraws, ProfileRow.newBuilder(rows.get(withdraws)).setConsentOffers(false).setVersion(2L).build());
            rows.put(objects, ProfileRow.newBuilder(rows.get(objects)).setOfferObjections(List.of("participant:" + SHOP))
                    .setVersion(2L).build());
            rows.put(erased, ProfileRow.newBuilder(rows.get(erased)).setDeleted(true).setVersion(2L).build());
            rows.put(joins, ProfileRow.newBuilder(rows.get(joins)).setInterests(List.of("sport")).setVersion(2L).build());
            for (String p : List.of(withdraws, objects, erased, joins)) io.send(Topics.PROFILES, p, rows.get(p));

            Set<String> after = oracle(rows.values(), contacts);
            assertThat(after).doesNotContain(contacts.get(withdraws), contacts.get(objects), contacts.get(erased))
                    .contains(contacts.get(joins));
            assertThat(awaitOutbox(io, after)).isEqualTo(after);

            // the result rows: everyone ever eligible and not erased stays assigned (treatment or control); every
            // treatment resident has a contact and the weekly cap does not bind with one campaign, so each was delivered
            rows.values().stream().filter(CampaignJobIT::eligible).forEach(r -> everEligible.add(r.getPseudonym()));
            everEligible.remove(erased);
            Map<String, Long> expected = new TreeMap<>();
            for (String p : everEligible) {
                boolean control = isControl("c-it", p);
                expected.merge(control ? "campaign_control" : "campaign_treatment", 1L, Long::sum);
                if (!control) expected.merge("campaign_delivered", 1L, Long::sum);
            }
            assertThat(awaitRows(io, expected)).isEqualTo(expected);

            // the recipient cap: exactly 3 residents ever received c-cap, all of them eligible when they did
            List<CampaignDelivery> capped = new ArrayList<>();
            for (CampaignDelivery d : KafkaIO.decode(Topics.PORTAL_OUTBOX, io.readUntil(Topics.PORTAL_OUTBOX, r -> false,
                    Duration.ofSeconds(2)))) {
                if (d.getCampaignId().equals("c-cap") && !d.getWithdrawn()) capped.add(d);
            }
            assertThat(capped).extracting(CampaignDelivery::getResident).doesNotHaveDuplicates().hasSize(3)
                    .allSatisfy(r -> assertThat(everConsenting).contains(r));

            // the campaign ends: every standing offer is withdrawn; one who matches afterwards gets nothing, no row
            io.send(Topics.CAMPAIGNS, CITY + "/c-it", Campaign.newBuilder(campaign).setStatus(CampaignStatus.ENDED)
                    .setUpdatedAt(System.currentTimeMillis()).build());
            Set<String>[] standing = new Set[] {Set.of("none read yet")};
            io.readUntil(Topics.PORTAL_OUTBOX, records -> {
                standing[0] = records.isEmpty() ? standing[0] : standing(records);
                return standing[0].isEmpty();
            }, Duration.ofSeconds(40));
            assertThat(standing[0]).as("every offer withdrawn").isEmpty();
            String late = rows.values().stream().filter(r -> !eligible(r) && r.getConsentOffers()
                            && r.getOfferObjections().isEmpty() && r.getInterests().contains("kultur")
                            && !r.getPseudonym().equals(joins) && !isControl("c-it", r.getPseudonym()))
                    .map(ProfileRow::getPseudonym).findFirst().orElseThrow();
            io.send(Topics.PROFILES, late, ProfileRow.newBuilder(rows.get(late)).setInterests(List.of("sport"))
                    .setVersion(2L).build());

            // a record the job cannot read is a dead letter, the job goes on
            io.sendBytes(Topics.CAMPAIGNS, CITY + "/broken", "not a campaign".getBytes(StandardCharsets.UTF_8));
            assertThat(KafkaIO.decode(Topics.DEAD_LETTERS, io.readUntil(Topics.DEAD_LETTERS, r -> !r.isEmpty(),
                    Duration.ofSeconds(20)))).singleElement().satisfies(d -> assertThat(d.getStage()).isEqualTo("campaign"));
            assertThat(KafkaIO.decode(Topics.PORTAL_OUTBOX, io.readUntil(Topics.PORTAL_OUTBOX, r -> false,
                    Duration.ofSeconds(3)))).as("no offer of the ended campaign to the late match")
                    // the outbox is read from its start: c-cap (still running, everyone, 3 recipients drawn by
                    // arrival) may have reached the late match long before; only c-it must never reach them
                    .noneMatch(d -> d.getCampaignId().equals("c-it") && d.getResident().equals(contacts.get(late)));
            assertThat(awaitRows(io, expected)).as("the rows written before the end stay, none after").isEqualTo(expected);
        } finally {
            job.cancel().get();
        }
    }

    /** The oracle: residents (references) who should hold the offer now. */
    private static Set<String> oracle(Iterable<ProfileRow> rows, Map<String, String> contacts) {
        Set<String> out = new TreeSet<>();
        for (ProfileRow r : rows) {
            if (eligible(r) && !isControl("c-it", r.getPseudonym())) out.add(contacts.get(r.getPseudonym()));
        }
        return out;
    }

    private static boolean eligible(ProfileRow r) {
        return !r.getDeleted() && r.getConsentOffers() && r.getInterests().contains("sport") && r.getAge() >= 25
                && r.getOfferObjections().stream().noneMatch(o -> o.equals("all") || o.equals("participant:" + SHOP));
    }

    /** The design's assignment, written out independently: first 8 bytes of SHA-256(id ␟ pseudonym) mod 1000. */
    private static boolean isControl(String campaignId, String pseudonym) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((campaignId + "\u001f" + pseudonym)
                    .getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(h).getLong() & Long.MAX_VALUE) % 1000 < CONTROL_PER_MILLE;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> pseudonymsOf(Set<String> residents, Map<String, String> contacts) {
        List<String> out = new ArrayList<>();
        contacts.forEach((p, r) -> { if (residents.contains(r)) out.add(p); });
        out.sort(null);
        return out;
    }

    /** Reads the outbox until its standing offers (last record per resident not withdrawn) equal the expectation. */
    private static Set<String> awaitOutbox(KafkaIO io, Set<String> expected) {
        Set<String>[] standing = new Set[] {Set.of()};
        io.readUntil(Topics.PORTAL_OUTBOX, records -> {
            standing[0] = standing(records);
            return standing[0].equals(expected);
        }, Duration.ofSeconds(40));
        return standing[0];
    }

    private static Set<String> standing(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> offers = new HashMap<>();
        for (CampaignDelivery d : KafkaIO.decode(Topics.PORTAL_OUTBOX, records)) {
            if (!d.getCampaignId().equals("c-it")) continue;
            offers.merge(d.getResident(), d.getWithdrawn() ? -1 : 1, Integer::sum);
        }
        offers.values().forEach(v -> assertThat(v).as("at most once per resident").isBetween(0, 1));
        Set<String> out = new TreeSet<>();
        offers.forEach((r, v) -> { if (v == 1) out.add(r); });
        return out;
    }

    private static Map<String, Long> awaitRows(KafkaIO io, Map<String, Long> expected) {
        Map<String, Long>[] net = new Map[] {Map.of()};
        io.readUntil(Topics.CONTRIBUTIONS, records -> {
            Map<String, Long> sums = new TreeMap<>();
            for (ContributionDelta d : KafkaIO.decode(Topics.CONTRIBUTIONS, records)) {
                if (!"c-it".equals(d.getCounterpart())) continue;
                sums.merge(d.getMeasure(), d.getCount(), Long::sum);
            }
            sums.values().removeIf(v -> v == 0);
            net[0] = sums;
            return sums.equals(expected);
        }, Duration.ofSeconds(20));
        return net[0];
    }
}
