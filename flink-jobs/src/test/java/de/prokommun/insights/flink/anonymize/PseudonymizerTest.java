package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.contract.CitySecrets;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.raw;
import static de.prokommun.insights.flink.Fixtures.residentRegistered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.CardLinked;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.flink.Fixtures;
import org.junit.jupiter.api.Test;

class PseudonymizerTest {

    private final Pseudonymizer pseudonymizer = new Pseudonymizer(CitySecrets.parse(Fixtures.SECRETS), Fixtures.cities());
    private final Pseudonymizer otherSecret = new Pseudonymizer(
            CitySecrets.parse("musterstadt:a-completely-different-secret"), Fixtures.cities());

    @Test
    void pseudonymsAreDeterministicKeyedAndSeparatedByCityAndKind() {
        String p = pseudonymizer.residentPseudonym("musterstadt", "R-1");
        assertThat(p).isEqualTo(new Pseudonymizer(CitySecrets.parse(Fixtures.SECRETS), Fixtures.cities())
                .residentPseudonym("musterstadt", "R-1"));
        assertThat(p).matches("[A-Za-z0-9_-]{43}");
        assertThat(p).isNotEqualTo(pseudonymizer.residentPseudonym("musterstadt", "R-2"));
        assertThat(p).isNotEqualTo(pseudonymizer.residentPseudonym("otherstadt", "R-1"));
        assertThat(p).isNotEqualTo(pseudonymizer.cardPseudonym("musterstadt", "R-1"));
        assertThat(p).isNotEqualTo(otherSecret.residentPseudonym("musterstadt", "R-1"));
    }

    @Test
    void registrationKeepsOnlyBirthYearDistrictAndDeclaredData() {
        PseudonymisedEvent out = pseudonymizer.pseudonymise(
                raw("e1", "R-1", "C-1", at(2026, 3, 10), residentRegistered("1990-07-14", "45481", true)));
        assertThat(out.isCardOnly()).isFalse();
        assertThat(out.event.getPseudonym()).isEqualTo(pseudonymizer.residentPseudonym("musterstadt", "R-1"));
        AnonymousRegistration r = (AnonymousRegistration) out.event.getPayload();
        assertThat(r.getBirthYear()).isEqualTo(1990);
        assertThat(r.getDistrict()).isEqualTo("Saarn");
        assertThat(r.getInterests()).containsExactly("uni", "kultur");
        assertThat(out.event.toString()).doesNotContain("R-1", "C-1", "1990-07-14", "45481");
    }

    @Test
    void aPostcodeOutsideTheCityBecomesTheUnknownDistrict() {
        PseudonymisedEvent out = pseudonymizer.pseudonymise(
                raw("e1", "R-1", null, at(2026, 3, 10), residentRegistered("1990-07-14", "10115", true)));
        assertThat(((AnonymousRegistration) out.event.getPayload()).getDistrict()).isEqualTo("unbekannt");
    }

    @Test
    void cardLinksCarryCardPseudonymsAndCardOnlyEventsWaitForTheirResident() {
        PseudonymisedEvent link = pseudonymizer.pseudonymise(raw("e1", "R-1", null, at(2026, 3, 10),
                CardLinked.newBuilder().setCard("C-2").setReplacesCard("C-1").build()));
        AnonymousCardLinked l = (AnonymousCardLinked) link.event.getPayload();
        assertThat(l.getCardPseudonym()).isEqualTo(pseudonymizer.cardPseudonym("musterstadt", "C-2"));
        assertThat(l.getReplacedCardPseudonym()).isEqualTo(pseudonymizer.cardPseudonym("musterstadt", "C-1"));

        PseudonymisedEvent purchase = pseudonymizer.pseudonymise(
                raw("e2", null, "C-2", at(2026, 3, 10), Fixtures.purchase("B-1", PaymentKind.CARD)));
        assertThat(purchase.isCardOnly()).isTrue();
        assertThat(purchase.cardPseudonym).isEqualTo(l.getCardPseudonym());
        assertThat(purchase.event.getPseudonym()).isEmpty();
    }

    @Test
    void invalidEventsAreRejectedNamingFieldAndReason() {
        assertThatThrownBy(() -> pseudonymizer.pseudonymise(
                raw("e1", "R-1", null, at(2026, 3, 10), residentRegistered("14.07.1990", "45481", true))))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("birthDate:");
        assertThatThrownBy(() -> pseudonymizer.pseudonymise(
                raw("e1", "R-1", null, at(2026, 3, 10), residentRegistered("2030-01-01", "45481", true))))
                .hasMessageStartingWith("birthDate:");
        InteractionEvent unknownCity = raw("e1", "R-1", null, at(2026, 3, 10), residentRegistered("1990-01-01", "45481", true));
        unknownCity.setCity("atlantis");
        assertThatThrownBy(() -> pseudonymizer.pseudonymise(unknownCity)).hasMessageStartingWith("city:");
        assertThatThrownBy(() -> pseudonymizer.pseudonymise(
                raw("e1", null, "C-1", at(2026, 3, 10), residentRegistered("1990-01-01", "45481", true))))
                .hasMessageStartingWith("resident:");
    }

    @Test
    void secretsAreNeverPrinted() {
        CitySecrets secrets = CitySecrets.parse(Fixtures.SECRETS);
        assertThat(secrets.toString()).doesNotContain("test-secret");
        assertThatThrownBy(() -> CitySecrets.parse("musterstadt:short")).hasMessageNotContaining("short")
                .hasMessageContaining("musterstadt");
    }
}
