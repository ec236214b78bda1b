package de.prokommun.insights.flink.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.CampaignAudience;
import de.prokommun.insights.events.ProfileRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every audience field, alone and combined: matches or not, and the reasons the resident is shown. */
class CampaignMatchTest {

    private static final int TODAY = 20_600;
    private static final String SHOP = "baeckerei-schmidt";

    static ProfileRow row() {
        return ProfileRow.newBuilder().setPseudonym("p").setCity("musterstadt").setBirthYear(1990).setAge(36)
                .setAgeBand("35-49").setGender("FEMALE").setDistrict("Saarn").setHouseholdType("FAMILY")
                .setPersonas(List.of("family", "regular_shopper")).setInterests(List.of("sport", "kultur"))
                .setConsentOffers(true).setLastPurchaseDay(TODAY - 10)
                .setPurchaseTags(List.of("category:lebensmittel.backwaren:2026", "customer:" + SHOP))
                .setUpdatedAt(0L).setVersion(1L).build();
    }

    private static CampaignMatch.Result match(CampaignAudience.Builder a) {
        return CampaignMatch.of(a.build(), SHOP, row(), TODAY);
    }

    private static CampaignAudience.Builder audience() {
        return CampaignAudience.newBuilder();
    }

    @Test
    void anEmptyAudienceMatchesEveryoneWithoutReasons() {
        assertThat(match(audience())).isEqualTo(new CampaignMatch.Result(true, List.of()));
    }

    @Test
    void ageIsInclusiveAndEitherBoundMayBeOpen() {
        assertThat(match(audience().setAgeFrom(36).setAgeTo(36)).reasons()).containsExactly("ageBand:35-49");
        assertThat(match(audience().setAgeFrom(37)).matches()).isFalse();
        assertThat(match(audience().setAgeTo(35)).matches()).isFalse();
        assertThat(match(audience().setAgeTo(36)).matches()).isTrue();
        ProfileRow noAge = ProfileRow.newBuilder(row()).setAge(null).build();
        assertThat(CampaignMatch.of(audience().setAgeFrom(18).build(), SHOP, noAge, TODAY).matches()).isFalse();
    }

    @Test
    void listFieldsMatchAnyValueAndNameWhatMatched() {
        assertThat(match(audience().setGenders(List.of("MALE", "FEMALE"))).reasons()).containsExactly("gender:FEMALE");
        assertThat(match(audience().setGenders(List.of("MALE"))).matches()).isFalse();
        assertThat(match(audience().setPersonas(List.of("family", "senior"))).reasons()).containsExactly("persona:family");
        assertThat(match(audience().setPersonas(List.of("senior"))).matches()).isFalse();
        assertThat(match(audience().setInterests(List.of("sport", "kultur"))).reasons())
                .containsExactly("interest:sport", "interest:kultur");
        assertThat(match(audience().setInterests(List.of("musik"))).matches()).isFalse();
        assertThat(match(audience().setDistricts(List.of("Saarn"))).reasons()).containsExactly("district:Saarn");
        assertThat(match(audience().setDistricts(List.of("Mitte"))).matches()).isFalse();
        assertThat(match(audience().setHouseholdTypes(List.of("FAMILY"))).reasons()).containsExactly("household:FAMILY");
        assertThat(match(audience().setHouseholdTypes(List.of("SINGLE"))).matches()).isFalse();
        ProfileRow noDistrict = ProfileRow.newBuilder(row()).setDistrict(null).build();
        assertThat(CampaignMatch.of(audience().setDistricts(List.of("Saarn")).build(), SHOP, noDistrict, TODAY).matches()).isFalse();
    }

    @Test
    void aBoughtCategoryMatchesItselfItsChildrenAndTheYear() {
        assertThat(match(audience().setBoughtCategory("lebensmittel.backwaren").setBoughtYear(2026)).reasons())
                .containsExactly("category:lebensmittel.backwaren");
        assertThat(match(audience().setBoughtCategory("lebensmittel").setBoughtYear(2026)).matches()).as("first level").isTrue();
        assertThat(match(audience().setBoughtCategory("lebensmittel")).matches()).as("any year").isTrue();
        assertThat(match(audience().setBoughtCategory("lebensmittel").setBoughtYear(2025)).matches()).isFalse();
        assertThat(match(audience().setBoughtCategory("lebensmittel.back")).matches()).as("not a prefix of an id").isFalse();
        assertThat(match(audience().setBoughtCategory("mode")).matches()).isFalse();
    }

    @Test
    void ownCustomersAreThoseWhoBoughtAtTheCampaignsParticipant() {
        assertThat(match(audience().setOwnCustomers(true)).reasons()).containsExactly("customer:" + SHOP);
        assertThat(CampaignMatch.of(audience().setOwnCustomers(true).build(), "weinhandlung-berg", row(), TODAY).matches())
                .isFalse();
    }

    @Test
    void activeWithinDaysCountsFromTheLastPurchase() {
        assertThat(match(audience().setActiveWithinDays(10)).reasons()).containsExactly("activeWithinDays:10");
        assertThat(match(audience().setActiveWithinDays(9)).matches()).isFalse();
        ProfileRow never = ProfileRow.newBuilder(row()).setLastPurchaseDay(null).build();
        assertThat(CampaignMatch.of(audience().setActiveWithinDays(365).build(), SHOP, never, TODAY).matches()).isFalse();
    }

    @Test
    void allFieldsMustHoldAcrossFields() {
        CampaignAudience.Builder all = audience().setAgeFrom(25).setAgeTo(49).setGenders(List.of("FEMALE"))
                .setPersonas(List.of("family")).setInterests(List.of("sport")).setDistricts(List.of("Saarn"))
                .setHouseholdTypes(List.of("FAMILY")).setBoughtCategory("lebensmittel").setBoughtYear(2026)
                .setOwnCustomers(true).setActiveWithinDays(30);
        assertThat(match(all).reasons()).containsExactly("ageBand:35-49", "gender:FEMALE", "persona:family",
                "interest:sport", "district:Saarn", "household:FAMILY", "category:lebensmittel", "customer:" + SHOP,
                "activeWithinDays:30");
        assertThat(match(all.setDistricts(List.of("Mitte"))).matches()).as("one field failing fails the audience").isFalse();
    }
}
