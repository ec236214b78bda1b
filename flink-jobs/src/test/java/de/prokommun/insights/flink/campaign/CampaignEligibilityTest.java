package de.prokommun.insights.flink.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignAudience;
import de.prokommun.insights.events.CampaignChannel;
import de.prokommun.insights.events.CampaignOffer;
import de.prokommun.insights.events.CampaignStatus;
import de.prokommun.insights.events.ProfileRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignEligibilityTest {

    static final long NOW = 1_780_000_000_000L;

    static Campaign campaign(String id, CampaignStatus status) {
        return Campaign.newBuilder().setCity("musterstadt").setCampaignId(id).setParticipant("baeckerei-schmidt")
                .setAudience(CampaignAudience.newBuilder().setInterests(List.of("sport")).build())
                .setOffer(CampaignOffer.newBuilder().setTitle("Brötchen").setText("10 % auf alles")
                        .setValidFrom(NOW - 1000).setValidUntil(NOW + 1000).setCode("BROT10")
                        .setCategory("lebensmittel.backwaren").build())
                .setChannel(CampaignChannel.PORTAL_INBOX).setStatus(status).setCreatedAt(NOW).setUpdatedAt(NOW).build();
    }

    private static boolean eligible(Campaign c, ProfileRow row, long now) {
        return CampaignEligibility.of(c, row, now, 20_600).isPresent();
    }

    @Test
    void consentObjectionsStatusValidityAndDeletionDecide() {
        Campaign c = campaign("c1", CampaignStatus.RUNNING);
        ProfileRow row = CampaignMatchTest.row();
        assertThat(CampaignEligibility.of(c, row, NOW, 20_600)).contains(List.of("interest:sport"));
        assertThat(eligible(c, ProfileRow.newBuilder(row).setConsentOffers(false).build(), NOW)).isFalse();
        assertThat(eligible(c, ProfileRow.newBuilder(row).setDeleted(true).build(), NOW)).isFalse();
        assertThat(eligible(c, ProfileRow.newBuilder(row).setCity("otherstadt").build(), NOW)).isFalse();
        assertThat(eligible(campaign("c1", CampaignStatus.PAUSED), row, NOW)).isFalse();
        assertThat(eligible(campaign("c1", CampaignStatus.ENDED), row, NOW)).isFalse();
        assertThat(eligible(c, row, NOW - 1001)).as("before validFrom").isFalse();
        assertThat(eligible(c, row, NOW + 1000)).as("validUntil is exclusive").isFalse();
        for (String objection : List.of("all", "participant:baeckerei-schmidt", "category:lebensmittel.backwaren",
                "category:lebensmittel")) {
            assertThat(eligible(c, ProfileRow.newBuilder(row).setOfferObjections(List.of(objection)).build(), NOW))
                    .as(objection).isFalse();
        }
        assertThat(eligible(c, ProfileRow.newBuilder(row).setOfferObjections(List.of("participant:weinhandlung-berg",
                "category:mode", "category:lebensmittel.back")).build(), NOW)).as("other objections").isTrue();
    }

    @Test
    void controlAssignmentIsDeterministicPerCampaignAndNearTheShare() {
        int control = 0;
        int differs = 0;
        for (int i = 0; i < 10_000; i++) {
            boolean a = CampaignEligibility.isControl("c1", "p" + i, 100);
            assertThat(CampaignEligibility.isControl("c1", "p" + i, 100)).isEqualTo(a);
            if (a) control++;
            if (a != CampaignEligibility.isControl("c2", "p" + i, 100)) differs++;
        }
        assertThat(control).isBetween(850, 1150);
        assertThat(differs).as("randomised per campaign").isGreaterThan(1000);
        assertThat(CampaignEligibility.isControl("c1", "p1", 0)).isFalse();
        assertThat(CampaignEligibility.isControl("c1", "p1", 1000)).isTrue();
    }
}
