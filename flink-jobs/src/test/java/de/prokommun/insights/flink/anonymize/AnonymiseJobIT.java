package de.prokommun.insights.flink.anonymize;

import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.raw;
import static de.prokommun.insights.flink.Fixtures.residentRegistered;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.KafkaIO;
import de.prokommun.insights.flink.KafkaTestBed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The anonymise job on a Flink MiniCluster (parallelism 2) against a real Kafka broker, exactly-once. */
class AnonymiseJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaTestBed.miniCluster();
    @RegisterExtension
    static final KafkaTestBed KAFKA = new KafkaTestBed("anon-it.", Map.of(FlinkJobsConfig.CITY_SECRETS.name(), Fixtures.SECRETS));

    @Test
    void rawEventsBecomeAnonymousEventsAndPoisonBecomesDeadLetters() throws Exception {
        Settings settings = KAFKA.settings();
        JobClient job = KAFKA.submit("anonymise-it", settings, AnonymiseJob::buildOnKafka);
        try (KafkaIO io = KAFKA.io()) {
            // the card-only purchase comes first: it waits for its link
            send(io, raw("pos-1", null, "C-4711", at(2026, 3, 10), Fixtures.purchase("B-1", PaymentKind.CARD)));
            send(io, raw("reg-1", "R-0815", null, at(2026, 3, 9), residentRegistered("1990-07-14", "45481", true)));
            io.sendBytes(Topics.RAW_EVENTS, "R-0815", "this is not an Avro record".getBytes(StandardCharsets.UTF_8));
            InteractionEvent unknownCity = raw("reg-x", "R-9", null, at(2026, 3, 9), residentRegistered("1990-07-14", "45481", true));
            unknownCity.setCity("atlantis");
            send(io, unknownCity);
            send(io, raw("link-1", "R-0815", null, at(2026, 3, 10), Fixtures.cardLinked("C-4711")));
            send(io, raw("reg-2", "R-0816", null, at(2026, 3, 11), residentRegistered("1950-01-02", "45468", true)));
            send(io, raw("erase-2", "R-0816", null, at(2026, 3, 12), new ErasureRequested(null)));

            List<ConsumerRecord<byte[], byte[]>> records = io.readUntil(Topics.ANONYMOUS_EVENTS, r -> r.size() >= 5, Duration.ofSeconds(60));
            List<AnonymousEvent> events = KafkaIO.decode(Topics.ANONYMOUS_EVENTS, records);
            assertThat(events).extracting(AnonymousEvent::getEventId).containsExactlyInAnyOrder("reg-1", "link-1", "pos-1", "reg-2", "erase-2");

            // issue 18: the contacts, keyed city/pseudonym; the erased resident's contact is followed by its tombstone
            List<String> contacts = new java.util.ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : io.readUntil(Topics.RESIDENT_CONTACTS, r -> r.size() >= 3, Duration.ofSeconds(30))) {
                contacts.add(new String(r.key(), StandardCharsets.UTF_8) + "=" + (r.value() == null ? "tombstone"
                        : Topics.RESIDENT_CONTACTS.codec().decode(r.value()).getResident()));
            }
            String city = Fixtures.CITY + "/";
            assertThat(contacts).containsExactlyInAnyOrder(city + byId(events, "reg-1").getPseudonym() + "=R-0815",
                    city + byId(events, "reg-2").getPseudonym() + "=R-0816", city + byId(events, "reg-2").getPseudonym() + "=tombstone");
            assertThat(contacts.indexOf(city + byId(events, "reg-2").getPseudonym() + "=tombstone"))
                    .isGreaterThan(contacts.indexOf(city + byId(events, "reg-2").getPseudonym() + "=R-0816"));

            AnonymousEvent reg = byId(events, "reg-1");
            AnonymousEvent purchase = byId(events, "pos-1");
            assertThat(purchase.getPseudonym()).as("card-only purchase attributed via the card link").isEqualTo(reg.getPseudonym());
            assertThat(byId(events, "link-1").getPseudonym()).isEqualTo(reg.getPseudonym());
            assertThat(((AnonymousCardLinked) byId(events, "link-1").getPayload()).getCardPseudonym()).doesNotContain("4711");
            assertThat(((AnonymousRegistration) reg.getPayload()).getDistrict()).isEqualTo("Saarn");
            assertThat(((AnonymousRegistration) byId(events, "reg-2").getPayload()).getBirthYear()).isEqualTo(1950);
            assertThat(byId(events, "reg-2").getPseudonym()).isNotEqualTo(reg.getPseudonym());
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String all = new String(r.value(), StandardCharsets.ISO_8859_1) + (r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8))
                        + Topics.ANONYMOUS_EVENTS.codec().decode(r.value());
                assertThat(all).doesNotContain("R-0815", "R-0816", "C-4711", "1990-07-14", "1950-01-02", "45481", "45468");
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).as("key = resident pseudonym")
                        .isEqualTo(Topics.ANONYMOUS_EVENTS.codec().decode(r.value()).getPseudonym());
            }

            List<DeadLetter> dead = KafkaIO.decode(Topics.DEAD_LETTERS,
                    io.readUntil(Topics.DEAD_LETTERS, r -> r.size() >= 2, Duration.ofSeconds(30)));
            assertThat(dead).extracting(DeadLetter::getReason).anySatisfy(r -> assertThat(r).startsWith("undecodable InteractionEvent"))
                    .anySatisfy(r -> assertThat(r).startsWith("city:"));
            assertThat(dead).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(Topics.RAW_EVENTS.name(settings)));
        } finally {
            job.cancel().get();
        }
    }

    private static void send(KafkaIO io, InteractionEvent e) throws Exception {
        io.send(Topics.RAW_EVENTS, e.getResident() != null ? e.getResident() : e.getCard(), e);
    }

    private static AnonymousEvent byId(List<AnonymousEvent> events, String id) {
        return events.stream().filter(e -> e.getEventId().equals(id)).findFirst().orElseThrow();
    }
}
