package de.prokommun.insights.query.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.events.CampaignAudience;
import de.prokommun.insights.events.CampaignChannel;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.InvalidRequestException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CampaignRequestParserTest {

    private static final Asker BAKERY = new Asker("musterstadt", "baeckerei-schmidt", AskerRole.PARTICIPANT);
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private final CampaignRequestParser parser = new CampaignRequestParser(
            new CityCatalog(Path.of("..", "cities")).city("musterstadt").orElseThrow(), 20);

    private static String offer(String extra) {
        return "{\"title\": \"Brötchen-Woche\", \"text\": \"Jedes dritte Brötchen gratis.\\nNur diese Woche.\","
                + " \"validFrom\": \"2026-12-07T00:00:00+01:00\", \"validUntil\": \"2026-12-14T00:00:00+01:00\"" + extra + "}";
    }

    private Map<String, String> problems(String body) {
        try {
            parser.campaign(BAKERY, body, NOW);
        } catch (InvalidRequestException e) {
            return e.problems().stream().collect(Collectors.toMap(Problem::field, Problem::reason, (a, b) -> a + " | " + b));
        }
        throw new AssertionError("expected problems for " + body);
    }

    @Test
    void aValidCampaignBecomesTheContractsAudienceAndOffer() {
        var r = parser.campaign(BAKERY, "{\"audience\": {\"ageFrom\": 25, \"ageTo\": 49, \"interests\": [\"sport\"],"
                + " \"boughtCategory\": {\"category\": \"lebensmittel.backwaren\", \"year\": 2025},"
                + " \"customerOf\": \"baeckerei-schmidt\"}, \"offer\": " + offer(", \"code\": \"BROT3\","
                + " \"category\": \"lebensmittel.backwaren\"") + ", \"channel\": \"PORTAL_INBOX\", \"recipientCap\": 500}", NOW);
        CampaignAudience a = r.audience();
        assertThat(List.of(a.getAgeFrom(), a.getAgeTo())).containsExactly(25, 49);
        assertThat(a.getInterests()).containsExactly("sport");
        assertThat(a.getBoughtCategory()).isEqualTo("lebensmittel.backwaren");
        assertThat(a.getBoughtYear()).isEqualTo(2025);
        assertThat(a.getOwnCustomers()).isTrue();
        assertThat(r.offer().getCode()).isEqualTo("BROT3");
        assertThat(r.offer().getText()).contains("\n");
        assertThat(r.offer().getValidFrom()).isEqualTo(Instant.parse("2026-12-06T23:00:00Z").toEpochMilli());
        assertThat(r.channel()).isEqualTo(CampaignChannel.PORTAL_INBOX);
        assertThat(r.recipientCap()).isEqualTo(500L);
        assertThat(r.controlPerMille()).as("default control share").isEqualTo(100);
    }

    @Test
    void everyBadFieldIsNamed() {
        Map<String, String> p = problems("{\"audience\": {\"ageFrom\": 130, \"districts\": [\"Atlantis\"],"
                + " \"consentOffers\": false}, \"offer\": {\"title\": \"\", \"text\": \"x\", \"validFrom\": \"morgen\","
                + " \"validUntil\": \"2026-12-14T00:00:00Z\", \"category\": \"waffen\", \"code\": \"A\\u202eB\"},"
                + " \"channel\": \"SMS\", \"recipientCap\": 0, \"controlPerMille\": 900, \"participant\": \"metzgerei-meier\"}");
        assertThat(p).containsOnlyKeys("audience.ageFrom", "audience.districts[0]", "audience.consentOffers",
                "offer.title", "offer.validFrom", "offer.category", "offer.code", "channel", "recipientCap",
                "controlPerMille", "participant");
        assertThat(p.get("participant")).as("the participant is the key's owner, never the body's")
                .startsWith("unknown field");
        assertThat(p.get("channel")).contains("PORTAL_INBOX").contains("NEWSLETTER");
    }

    @Test
    void theValidityMustLieAheadAndBeOrdered() {
        assertThat(problems("{\"audience\": {}, \"channel\": \"NEWSLETTER\", \"offer\": {\"title\": \"t\", \"text\": \"x\","
                + " \"validFrom\": \"2026-12-10T00:00:00Z\", \"validUntil\": \"2026-12-09T00:00:00Z\"}}"))
                .containsEntry("offer.validUntil", "must be after offer.validFrom (2026-12-10T00:00:00Z)");
        assertThat(problems("{\"audience\": {}, \"channel\": \"NEWSLETTER\", \"offer\": {\"title\": \"t\", \"text\": \"x\","
                + " \"validFrom\": \"2026-11-01T00:00:00Z\", \"validUntil\": \"2026-11-09T00:00:00Z\"}}").get("offer.validUntil"))
                .startsWith("lies in the past");
        assertThat(problems("{\"channel\": \"NEWSLETTER\", \"offer\": " + offer("") + "}")).containsOnlyKeys("audience");
    }

    @Test
    void aParticipantAddressesOnlyItsOwnCustomers() {
        assertThatThrownBy(() -> parser.campaign(BAKERY, "{\"audience\": {\"customerOf\": \"metzgerei-meier\"},"
                + " \"offer\": " + offer("") + ", \"channel\": \"PORTAL_INBOX\"}", NOW))
                .isInstanceOf(ForbiddenFieldException.class)
                .satisfies(e -> assertThat(((ForbiddenFieldException) e).problem().field()).isEqualTo("audience.customerOf"));
        assertThatThrownBy(() -> parser.reach(BAKERY, "{\"audience\": {\"customerOf\": \"metzgerei-meier\"}}"))
                .isInstanceOf(ForbiddenFieldException.class);
    }

    @Test
    void aReachQuestionNamesAnOptionalOfferCategory() {
        var r = parser.reach(BAKERY, "{\"audience\": {\"genders\": [\"FEMALE\"]}, \"offerCategory\": \"Lebensmittel\"}");
        assertThat(r.offerCategory()).isEqualTo("lebensmittel");
        assertThat(r.audience().genders()).containsExactly("FEMALE");
        assertThatThrownBy(() -> parser.reach(BAKERY, "{\"audience\": {}, \"offerCategory\": \"waffen\", \"x\": 1}"))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).problems()).extracting(Problem::field)
                        .containsExactlyInAnyOrder("offerCategory", "x"));
    }
}
