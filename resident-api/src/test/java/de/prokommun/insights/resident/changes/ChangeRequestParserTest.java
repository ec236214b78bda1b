package de.prokommun.insights.resident.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.ProfileChanged;
import de.prokommun.insights.http.Problem;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeRequestParserTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-29");

    private static List<Problem> problems(Runnable r) {
        try {
            r.run();
        } catch (InvalidRequestException e) {
            return e.problems();
        }
        throw new AssertionError("expected an InvalidRequestException");
    }

    @Test
    void aValidPatchSetsOnlyTheGivenFields() {
        ProfileChanged c = ChangeRequestParser.profileChange(new JsonObject(
                "{\"gender\": \"DIVERSE\", \"postcode\": \"45481\", \"interests\": [\"Kultur\", \"sport\"]}"), TODAY);
        assertThat(c.getGender()).isEqualTo(Gender.DIVERSE);
        assertThat(c.getPostcode()).isEqualTo("45481");
        assertThat(c.getInterests()).containsExactly("Kultur", "sport");
        assertThat(c.getBirthDate()).isNull();
        assertThat(c.getHouseholdType()).isNull();
        assertThat(ChangeRequestParser.profileChange(new JsonObject("{\"birthDate\": \"1990-02-28\", \"householdType\": \"FAMILY\"}"), TODAY)
                .getHouseholdType()).isEqualTo(HouseholdType.FAMILY);
    }

    @Test
    void everyBadFieldIsReportedByName() {
        List<Problem> p = problems(() -> ChangeRequestParser.profileChange(new JsonObject(
                "{\"birthDate\": \"1990-02-30\", \"gender\": \"female\", \"postcode\": \"4548\", \"householdType\": 3,"
                        + " \"interests\": [\"ok\", \"\"], \"name\": \"Erika\"}"), TODAY));
        assertThat(p).extracting(Problem::field)
                .containsExactlyInAnyOrder("birthDate", "gender", "postcode", "householdType", "interests[1]", "name");
        assertThat(p).filteredOn(f -> f.field().equals("gender")).singleElement()
                .extracting(Problem::reason).asString().contains("FEMALE").contains("'female'");
        assertThat(p).filteredOn(f -> f.field().equals("name")).singleElement()
                .extracting(Problem::reason).asString().contains("not a known field");
    }

    @Test
    void birthDatesMustGiveAPlausibleAge() {
        assertThat(problems(() -> ChangeRequestParser.profileChange(new JsonObject("{\"birthDate\": \"2026-11-30\"}"), TODAY)))
                .singleElement().extracting(Problem::reason).asString().contains("after today");
        assertThat(problems(() -> ChangeRequestParser.profileChange(new JsonObject("{\"birthDate\": \"1900-01-01\"}"), TODAY)))
                .singleElement().extracting(Problem::reason).asString().contains("126 years");
    }

    @Test
    void anEmptyPatchIsRefused() {
        assertThat(problems(() -> ChangeRequestParser.profileChange(new JsonObject(), TODAY)))
                .singleElement().extracting(Problem::reason).asString().contains("at least one of");
    }

    @Test
    void tooManyInterestsAreRefused() {
        JsonObject body = new JsonObject().put("interests", new io.vertx.core.json.JsonArray(
                java.util.Collections.nCopies(51, "x")));
        assertThat(problems(() -> ChangeRequestParser.profileChange(body, TODAY)))
                .singleElement().extracting(Problem::field).isEqualTo("interests");
    }

    @Test
    void consentsNeedAllThreeBooleans() {
        ConsentChanged c = ChangeRequestParser.consents(new JsonObject("{\"analytics\": true, \"offers\": false, \"newsletter\": true}"));
        assertThat(c.getAnalytics()).isTrue();
        assertThat(c.getOffers()).isFalse();
        assertThat(c.getNewsletter()).isTrue();
        assertThat(problems(() -> ChangeRequestParser.consents(new JsonObject("{\"analytics\": \"yes\", \"offers\": false}"))))
                .extracting(Problem::field).containsExactlyInAnyOrder("analytics", "newsletter");
    }

    @Test
    void receiptsAreBounded() {
        assertThat(ChangeRequestParser.receipt("B-2026-0001")).isEqualTo("B-2026-0001");
        assertThatThrownBy(() -> ChangeRequestParser.receipt("x".repeat(65))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ChangeRequestParser.receipt("a\nb")).isInstanceOf(InvalidRequestException.class);
    }

    // ---- issue 14: the write path's one text rule -------------------------------------------------------

    @Test
    void blankOrControlInterestsAreRefusedNamingEachLikeAtRegistration() {
        JsonObject body = new JsonObject().put("interests", new io.vertx.core.json.JsonArray().add("\u0000").add(" "));
        assertThat(problems(() -> ChangeRequestParser.profileChange(body, TODAY))).extracting(Problem::field)
                .containsExactly("interests[0]", "interests[1]");
        for (String bad : new String[] {"garten\u202e", "a\u200bb", "sport\nkultur", "\ufeffmusik", "\ud800"}) {
            JsonObject b = new JsonObject().put("interests", new io.vertx.core.json.JsonArray().add(bad));
            assertThat(problems(() -> ChangeRequestParser.profileChange(b, TODAY))).as(bad)
                    .singleElement().extracting(Problem::reason).asString().contains("U+");
        }
        JsonObject decomposed = new JsonObject().put("interests", new io.vertx.core.json.JsonArray().add("Cafe\u0301"));
        assertThat(ChangeRequestParser.profileChange(decomposed, TODAY).getInterests()).containsExactly("Caf\u00e9");
    }

    /**
     * Property: DELETE accepts a receipt exactly when ingestion accepts it as {@code data.receipt} — the text rule,
     * then 1–64 code points after NFC and not blank — and names it in NFC, as ingestion stored it.
     */
    @Test
    void deleteAcceptsExactlyTheReceiptsIngestionAccepts() {
        java.util.Random random = new java.util.Random(14);
        int[] pool = {'a', 'Z', '7', '-', ' ', '/', '\'', '\u00e4', 0x0301, 0x1F34E, 0x4E00, 0x0000, 0x001B, 0x000A,
                0x202E, 0x2066, 0x200B, 0xFEFF, 0x2028, 0x0085, 0xD800, 0xFFFF};
        for (int run = 0; run < 20_000; run++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(run % 50 == 0 ? 80 : 8);
            for (int i = 0; i < length; i++) {
                int cp = random.nextInt(4) == 0 ? pool[random.nextInt(pool.length)] : 'a' + random.nextInt(26);
                if (cp >= 0xD800 && cp <= 0xDFFF) b.append((char) cp); else b.appendCodePoint(cp);
            }
            String raw = b.toString();
            de.prokommun.insights.validation.StrictText.Checked rule = de.prokommun.insights.validation.StrictText
                    .check(raw, de.prokommun.insights.validation.StrictText.Kind.IDENTIFIER);
            boolean ingestionAccepts = rule.ok() && !rule.value().isBlank()
                    && rule.value().codePointCount(0, rule.value().length()) <= RECEIPT_MAX;
            if (ingestionAccepts) {
                assertThat(ChangeRequestParser.receipt(raw)).isEqualTo(rule.value());
            } else {
                assertThatThrownBy(() -> ChangeRequestParser.receipt(raw)).as("%s", raw).isInstanceOf(InvalidRequestException.class);
            }
        }
    }

    @Test
    void aReceiptOf64AstralCharactersIs64CharactersLong() {
        String apples = "\ud83c\udf4e".repeat(64);
        assertThat(ChangeRequestParser.receipt(apples)).isEqualTo(apples);
        assertThatThrownBy(() -> ChangeRequestParser.receipt(apples + "x")).isInstanceOf(InvalidRequestException.class);
    }

    private static final int RECEIPT_MAX = ChangeRequestParser.RECEIPT_MAX_LENGTH;
}
