package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.city.Persona;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The integration tests' residents get their personas by Musterstadt's rules (personas.json), not at random: the
 * personas defined by the cube agree with the attributes the publication answers them from, and every persona of
 * the city occurs.
 */
class ProfileFixtureTest {

    private final ProfileFixture fixture = new ProfileFixture(42);

    /** The seeds of AudienceSizeIT and PublicationIT. */
    @Test
    void personasFollowTheCitysRules() {
        for (long seed : new long[] {20261129L, 20261204L}) personasFollowTheCitysRules(new ProfileFixture(seed));
    }

    private static void personasFollowTheCitysRules(ProfileFixture fixture) {
        assertThat(ProfileFixture.RULES).extracting(Persona::id).contains("family", "senior", "student", "culture_fan",
                "voucher_user", "regular_shopper");
        for (ProfileFixture.Person p : fixture.people) {
            assertThat(p.personas().contains("family")).as(p.pseudonym()).isEqualTo("FAMILY".equals(p.householdType()));
            assertThat(p.personas().contains("senior")).as(p.pseudonym()).isEqualTo(p.age() >= 65);
            assertThat(p.personas().contains("best_ager")).as(p.pseudonym()).isEqualTo(p.age() >= 50 && p.age() <= 64);
            assertThat(p.personas().contains("single")).as(p.pseudonym())
                    .isEqualTo(p.age() >= 18 && "SINGLE".equals(p.householdType()));
            assertThat(p.personas().contains("student")).as(p.pseudonym())
                    .isEqualTo(p.age() >= 18 && p.age() <= 29 && p.interests().contains(ProfileFixture.STUDY_INTEREST));
            if (p.interests().contains("kultur")) assertThat(p.personas()).contains("culture_fan");
        }
        // Every persona of the city occurs among the live residents, and some have none.
        for (Persona rule : ProfileFixture.RULES) {
            assertThat(fixture.count(p -> p.personas().contains(rule.id()))).as(rule.id()).isPositive();
        }
        assertThat(fixture.count(p -> p.personas().isEmpty())).isPositive();
    }

    @Test
    void theRulesReadBehaviourAndAnyOfBlocks() {
        // culture_fan: kultur declared, or two culture check-ins within 180 days.
        assertThat(ProfileFixture.personas(40, "COUPLE", "FEMALE", List.of(), Map.of("checkin:theater", 2)))
                .containsExactly("couple", "culture_fan");
        assertThat(ProfileFixture.personas(40, "COUPLE", "FEMALE", List.of(), Map.of("checkin:theater", 1))).containsExactly("couple");
        // club_member: three check-ins of club signals together; regular_shopper: four purchases.
        assertThat(ProfileFixture.personas(15, "FAMILY", "MALE", List.of(), Map.of("checkin:club", 1, "checkin:sport", 2,
                "purchase", 4))).containsExactly("teenager", "family", "club_member", "regular_shopper");
        assertThat(ProfileFixture.personas(8, "SHARED", "DIVERSE", List.of("studium"), Map.of())).isEmpty();
    }

    @Test
    void theSameSeedGivesTheSamePeopleAndTheUpdatesChangeDistrictAndHousehold() {
        assertThat(new ProfileFixture(42).people).isEqualTo(fixture.people);
        ProfileFixture.Person first = fixture.people.get(0);
        var earlier = first.earlierRow();
        assertThat(earlier.getDistrict()).isNotEqualTo(first.district());
        assertThat(earlier.getHouseholdType()).isNotEqualTo(first.householdType());
        assertThat(earlier.getPersonas().contains("family")).isEqualTo("FAMILY".equals(earlier.getHouseholdType()));
    }
}
