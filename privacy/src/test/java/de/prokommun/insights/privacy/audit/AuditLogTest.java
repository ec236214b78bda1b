package de.prokommun.insights.privacy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyDefaults;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static final byte[] KEY = "audit-log-test-prf-key-0123456789abcdefghijklmn".getBytes(StandardCharsets.UTF_8);
    private static final Asker SHOP = new Asker("musterstadt", "buchhandlung-lenz", AskerRole.PARTICIPANT);

    @Test
    void everyQuestionIsAuditedToTheFileAndTheOfficerCanReadAPeriod(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Instant t0 = Instant.parse("2024-05-14T08:00:00Z");
        try (AuditLog audit = AuditLog.toFile(file); BudgetLedger ledger = BudgetLedger.inMemory()) {
            DisclosureControl dc = new DisclosureControl(PrivacyPolicy.of(PrivacyDefaults.city("musterstadt")), ledger, audit,
                    KEY, Clock.fixed(t0, ZoneOffset.UTC));
            var q = CanonicalQuestion.of("audience.breakdown").param("by", "district").build();
            dc.releaseCounts(SHOP, q, "2024-05-14", List.of(new TrueCell("Saarn", 900), new TrueCell("Styrum", 2), new TrueCell("Broich", 40)));
            dc.releaseCounts(SHOP, q, "2024-05-14", List.of(new TrueCell("Saarn", 900), new TrueCell("Styrum", 2), new TrueCell("Broich", 40)));
        }
        try (AuditLog reopened = AuditLog.toFile(file)) {
            List<AuditEntry> entries = reopened.read("musterstadt", t0, t0.plusSeconds(1));
            assertThat(entries).hasSize(2);
            AuditEntry first = entries.get(0);
            assertThat(first.askerId()).isEqualTo("buchhandlung-lenz");
            assertThat(first.role()).isEqualTo(AskerRole.PARTICIPANT);
            assertThat(first.at()).isEqualTo(t0);
            assertThat(first.kind()).isEqualTo("audience.breakdown");
            assertThat(first.canonicalForm()).isEqualTo("audience.breakdown?by=district");
            assertThat(first.epsilonSpent()).isEqualTo(PrivacyDefaults.PARTICIPANT_EPSILON.doubleValue());
            assertThat(first.cells()).isEqualTo(3);
            assertThat(first.suppressedCells()).isEqualTo(2);
            assertThat(first.repeated()).isFalse();
            assertThat(entries.get(1).repeated()).isTrue();
            assertThat(entries.get(1).epsilonSpent()).isZero();
            assertThat(reopened.read(t0.plusSeconds(1), Instant.MAX)).isEmpty();
            assertThat(reopened.read("elsewhere", Instant.EPOCH, Instant.MAX)).isEmpty();
        }
        String text = Files.readString(file);
        // No figure of the data, no key, in any encoding.
        assertThat(text).doesNotContain("900").doesNotContain(HexFormat.of().formatHex(KEY))
                .doesNotContain(Base64.getEncoder().encodeToString(KEY)).doesNotContain(new String(KEY, StandardCharsets.UTF_8));
    }

    @Test
    void aPseudonymThatSlippedIntoAQuestionNeverReachesTheLog() {
        String pseudonym = "q3Xv9kLm2N8pR4tY7wZ1aB5cD6eF0gH2iJ3kL4mN5oP"; // shape of a base64url HMAC
        String hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        String uuid = "550e8400-e29b-41d4-a716-446655440000";
        AuditLog audit = AuditLog.inMemory();
        DisclosureControl dc = new DisclosureControl(PrivacyPolicy.of(PrivacyDefaults.city("musterstadt")), BudgetLedger.inMemory(),
                audit, KEY, Clock.systemUTC());
        dc.releaseCounts(SHOP, CanonicalQuestion.of("audience.size").param("person", pseudonym).param("card", hex)
                .param("resident", uuid).param("district", "Saarn").param("age", "25-34").build(), "2024-05-14", List.of(new TrueCell("", 1)));
        AuditEntry entry = audit.read(Instant.EPOCH, Instant.MAX).get(0);
        assertThat(entry.canonicalForm()).doesNotContain(pseudonym, hex, uuid)
                .isEqualTo("audience.size?age=25-34&card=[redacted]&district=Saarn&person=[redacted]&resident=[redacted]");
        assertThat(Redaction.looksSecret(entry.canonicalForm().replace(Redaction.MARK, ""))).isFalse();
    }

    @Test
    void redactionLeavesOrdinaryQuestionTextAlone() {
        for (String ordinary : List.of("audience.size?age=25..34&district=Broich,Saarn", "affinity.lift?category=Backwaren&year=2021",
                "2024-05-14T10", "bought.category?category=Lebensmittel_und_Getraenke"))
            assertThat(Redaction.redact(ordinary)).isEqualTo(ordinary);
    }

    @Test
    void theCityWideChargeIsAuditedAndOldLinesWithoutItReadAsZero(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Instant t0 = Instant.parse("2024-05-14T08:00:00Z");
        try (AuditLog audit = AuditLog.toFile(file)) {
            audit.record(new AuditEntry(t0, "musterstadt", AskerRole.OPERATOR, "stadtmarketing", "audience.size", "audience.size",
                    "v1", "COUNT", 0.03, 1, 0, false, AuditEntry.Outcome.RELEASED, 0.00045));
        }
        String old = "{\"at\":\"2024-05-14T08:00:00Z\",\"city\":\"musterstadt\",\"role\":\"OPERATOR\",\"asker\":\"x\","
                + "\"kind\":\"audience.size\",\"question\":\"audience.size\",\"dataVersion\":\"v0\",\"measure\":\"COUNT\","
                + "\"epsilon\":0.25,\"cells\":1,\"suppressedCells\":0,\"repeated\":false,\"outcome\":\"RELEASED\"}\n";
        Files.writeString(file, old, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        try (AuditLog reopened = AuditLog.toFile(file)) {
            assertThat(reopened.read(t0, t0.plusSeconds(1))).extracting(AuditEntry::rhoSpent).containsExactly(0.00045, 0.0);
        }
    }

    /** Issue 15: refused requests land in the same file, apart from the released answers, redacted, keyless. */
    @Test
    void refusalsShareTheLogButNotTheReleasedEntries(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Instant t0 = Instant.parse("2024-05-14T08:00:00Z");
        try (AuditLog audit = AuditLog.toFile(file)) {
            audit.record(new AuditEntry(t0, "musterstadt", AskerRole.PARTICIPANT, "weinhandlung-berg", "audience.size",
                    "audience.size", "v1", "COUNT", 0.03, 1, 0, false, AuditEntry.Outcome.RELEASED));
            audit.record(new RefusalEntry(t0.plusSeconds(1), "musterstadt", "PARTICIPANT", "weinhandlung-berg",
                    "POST /api/v1/audiences/size", 403, "filter 'pseudonym' = 3fA9kLm2Qx7Zp0Rt5Vb8Wn not allowed", "0123456789abcdef"));
            audit.record(new RefusalEntry(t0.plusSeconds(2), "", "", "key:ab12cd34ef56", "GET /api/v1/x/3fA9kLm2Qx7Zp0Rt5Vb8Wn",
                    401, "unknown API key", "fedcba9876543210"));
        }
        try (AuditLog reopened = AuditLog.toFile(file)) {
            assertThat(reopened.read(t0, t0.plusSeconds(10))).extracting(AuditEntry::askerId).containsExactly("weinhandlung-berg");
            List<RefusalEntry> refusals = reopened.refusals(null, t0, t0.plusSeconds(10));
            assertThat(refusals).extracting(RefusalEntry::status).containsExactly(403, 401);
            assertThat(refusals.get(0).reason()).isEqualTo("filter 'pseudonym' = " + Redaction.MARK + " not allowed");
            assertThat(refusals.get(0).route()).isEqualTo("POST /api/v1/audiences/size");
            assertThat(refusals.get(0).fingerprint()).isEqualTo("0123456789abcdef");
            assertThat(refusals.get(1).route()).isEqualTo("GET /api/v1/x/" + Redaction.MARK);
            assertThat(reopened.refusals("musterstadt", t0, t0.plusSeconds(10))).singleElement()
                    .extracting(RefusalEntry::askerId).isEqualTo("weinhandlung-berg");
        }
        assertThat(Files.readString(file)).contains("\"outcome\":\"REFUSED\"");
        AuditLog memory = AuditLog.inMemory();
        memory.record(new RefusalEntry(t0, "musterstadt", "OPERATOR", "stadtmarketing", "GET /x", 400, "bad", "f"));
        assertThat(memory.refusals("musterstadt", t0, t0.plusSeconds(1))).hasSize(1);
        assertThat(memory.read(t0, t0.plusSeconds(1))).isEmpty();
    }
}
