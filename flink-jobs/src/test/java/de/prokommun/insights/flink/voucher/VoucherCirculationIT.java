package de.prokommun.insights.flink.voucher;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.KafkaIO;
import de.prokommun.insights.flink.KafkaTestBed;
import de.prokommun.insights.flink.profile.ProfileJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The profile job's voucher path on a Flink MiniCluster (parallelism 2) against a real Kafka broker, exactly-once:
 * persons on both profile-builder subtasks sell and redeem each other's gift vouchers; the gift-voucher rows of the
 * contributions topic sum to the direct computation, before and after the erasure of a buyer, the erasure of a
 * redeemer and a withdrawn consent.
 */
class VoucherCirculationIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaTestBed.miniCluster();
    @RegisterExtension
    static final KafkaTestBed KAFKA = new KafkaTestBed("voucher-it.", Map.of(FlinkJobsConfig.SOURCE_IDLENESS.name(), "1s"));

    private static final Map<String, DirectVoucherRows.Person> PERSONS = Map.of(
            "resident-1", new DirectVoucherRows.Person("35-49", "Saarn", "SINGLE"),
            "resident-2", new DirectVoucherRows.Person("35-49", "Saarn", "COUPLE"),
            "resident-3", new DirectVoucherRows.Person("65-79", "Saarn", "SINGLE"),
            "resident-4", new DirectVoucherRows.Person("50-64", "Saarn", "FAMILY"),
            "resident-5", new DirectVoucherRows.Person("35-49", "Saarn", "SINGLE"),
            "resident-6", new DirectVoucherRows.Person("65-79", "Saarn", "COUPLE"));
    private static final Map<String, Integer> BIRTH_YEARS = Map.of("resident-1", 1990, "resident-2", 1980,
            "resident-3", 1950, "resident-4", 1970, "resident-5", 1985, "resident-6", 1955);

    private final List<AnonymousEvent> sent = new ArrayList<>();

    @Test
    void giftVoucherRowsSumToTheDirectComputationBeforeAndAfterErasures() throws Exception {
        JobClient job = KAFKA.submit("voucher-it", KAFKA.settings(), ProfileJob::buildOnKafka);
        long cap = Fixtures.cities().city(Fixtures.CITY).orElseThrow().clamps().voucherCents();
        try (KafkaIO io = KAFKA.io()) {
            for (String p : new java.util.TreeSet<>(PERSONS.keySet())) {
                send(io, anonymous(p, p + "-reg", at(2026, 3, 1), registration(BIRTH_YEARS.get(p),
                        HouseholdType.valueOf(PERSONS.get(p).household()), true)));
            }
            send(io, sold("resident-1", "resident-1-s1", "buchhandlung", at(2026, 3, 2), "V1", 15_000));
            send(io, sold("resident-1", "resident-1-s2", "gutscheinportal", at(2026, 3, 3), "V2", 10_000)); // cut
            send(io, sold("resident-2", "resident-2-s1", "kiosk", at(2026, 3, 4), "V3", 8_000));
            send(io, redeemed("resident-3", "resident-3-r1", "cafe", at(2026, 3, 10), "V1", 6_000));
            send(io, redeemed("resident-4", "resident-4-r1", "kino", at(2026, 4, 2), "V1", 9_000));
            send(io, redeemed("resident-5", "resident-5-r1", "cafe", at(2026, 3, 15), "V2", 10_000));
            send(io, redeemed("resident-6", "resident-6-r1", "buchhandlung", at(2026, 3, 20), "V3", 8_000));
            // a voucher no profiled person sold; and a repeated event, counted once
            send(io, redeemed("resident-6", "resident-6-r2", "cafe", at(2026, 3, 21), "V4", 1_000));
            send(io, redeemed("resident-3", "resident-3-r1", "cafe", at(2026, 3, 10), "V1", 6_000));

            Map<String, List<Long>> before = expected(cap);
            assertThat(before.keySet()).as("redemptions linked to their sellers")
                    .anyMatch(k -> k.contains("|gift_voucher_redeemed|") && k.contains("|cafe|buchhandlung|"))
                    .anyMatch(k -> k.contains("|gift_voucher_redeemed|") && k.contains("|buchhandlung|kiosk|"));
            awaitFigures(io, before);

            send(io, anonymous("resident-1", "resident-1-x", at(2026, 4, 5), new ErasureRequested(null)));
            send(io, anonymous("resident-6", "resident-6-x", at(2026, 4, 5), new ErasureRequested(null)));
            send(io, anonymous("resident-4", "resident-4-w", at(2026, 4, 6),
                    ConsentChanged.newBuilder().setAnalytics(false).build()));
            Map<String, List<Long>> after = expected(cap);
            assertThat(after).isNotEqualTo(before);
            assertThat(after.keySet()).noneMatch(k -> k.contains("gutscheinportal") || k.contains("|kino|"));
            List<ContributionDelta> deltas = awaitFigures(io, after);

            assertThat(VoucherSums.sums(deltas, VoucherSums::fullKey).keySet())
                    .as("the erased persons' rows are negated in every column").noneMatch(k -> k.contains("|kino|"));
            List<ConsumerRecord<byte[], byte[]>> records = io.readUntil(Topics.CONTRIBUTIONS, r -> false, Duration.ofSeconds(1));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                ContributionDelta d = Topics.CONTRIBUTIONS.codec().decode(r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(d.getCity() + "/" + d.getMeasure());
            }
        } finally {
            job.cancel().get();
        }
    }

    private Map<String, List<Long>> expected(long cap) {
        return VoucherSums.figures(DirectVoucherRows.of(sent, PERSONS, Fixtures.BERLIN, cap));
    }

    /** Reads the contributions until the gift-voucher figures equal {@code expected}, and a moment longer. */
    private static List<ContributionDelta> awaitFigures(KafkaIO io, Map<String, List<Long>> expected) {
        int matched = io.readUntil(Topics.CONTRIBUTIONS,
                r -> VoucherSums.figures(KafkaIO.decode(Topics.CONTRIBUTIONS, r)).equals(expected), Duration.ofSeconds(90))
                .size();
        // a moment longer, so that rows beyond the expected ones would show up
        List<ContributionDelta> deltas = KafkaIO.decode(Topics.CONTRIBUTIONS,
                io.readUntil(Topics.CONTRIBUTIONS, r -> r.size() > matched, Duration.ofSeconds(3)));
        assertThat(VoucherSums.figures(deltas)).isEqualTo(expected);
        assertThat(deltas).filteredOn(VoucherSums::isVoucherRow).isNotEmpty()
                .allSatisfy(d -> assertThat(d.toString()).doesNotContain("resident-"));
        return deltas;
    }

    private void send(KafkaIO io, AnonymousEvent e) throws Exception {
        sent.add(e);
        io.send(Topics.ANONYMOUS_EVENTS, e.getPseudonym(), e);
    }

    private static AnonymousEvent sold(String who, String id, String seller, long time, String voucher, long cents) {
        AnonymousEvent e = anonymous(who, id, time, new GiftVoucherSold(voucher, cents));
        e.setParticipant(seller);
        return e;
    }

    private static AnonymousEvent redeemed(String who, String id, String shop, long time, String voucher, long cents) {
        AnonymousEvent e = anonymous(who, id, time, new GiftVoucherRedeemed(voucher, cents, null));
        e.setParticipant(shop);
        return e;
    }
}
