package de.prokommun.insights.flink.profile;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.PersonRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class RowFingerprintTest {

    private static PersonRecord record(String receipt, List<String> categories) {
        return PersonRecord.newBuilder().setPseudonym("p").setCity("musterstadt").setKind("purchase")
                .setParticipant("baeckerei-1").setEventTime(1_700_000_000_000L).setDeleted(false).setVersion(0L)
                .setRecordId("purchase:baeckerei-1:" + receipt).setReceipt(receipt).setCategories(categories).build();
    }

    @Test
    void equalContentGivesEqualFingerprints() {
        assertThat(RowFingerprint.of(record("r1", List.of("a", "b"))))
                .isEqualTo(RowFingerprint.of(record("r1", new ArrayList<>(List.of("a", "b")))));
    }

    @Test
    void aStringAndItsAvroUtf8FormHaveOneFingerprint() {
        PersonRecord plain = record("r1", List.of("a"));
        PersonRecord utf8 = record("r1", List.of("a"));
        utf8.put("receipt", new Utf8("r1"));
        assertThat(RowFingerprint.of(utf8)).isEqualTo(RowFingerprint.of(plain));
    }

    @Test
    void everyChangeOfContentChangesTheFingerprint() {
        Set<Long> seen = new HashSet<>();
        List<PersonRecord> variants = List.of(
                record("r1", List.of("a", "b")),
                record("r2", List.of("a", "b")),          // one character, same length
                record("r1", List.of("b", "a")),          // order of a list
                record("r1", List.of("ab")),              // same characters, other split
                record("r1", List.of("a", "b", "")),      // an empty element
                record("r1", List.of()),
                record("r1", List.of("a", "\u0100b")),    // a character beyond Latin-1
                record("r1", List.of("a", "\u0001b")));   // same low byte as above
        for (PersonRecord r : variants) seen.add(RowFingerprint.of(r));
        assertThat(seen).hasSize(variants.size());
        PersonRecord deleted = record("r1", List.of("a", "b"));
        deleted.setDeleted(true);
        assertThat(RowFingerprint.of(deleted)).isNotEqualTo(RowFingerprint.of(record("r1", List.of("a", "b"))));
    }
}
