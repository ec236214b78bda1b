package de.prokommun.insights.resident.changes;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.resident.auth.Resident;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChangeRequestsTest {

    private static final Resident ANNA = new Resident("anna", "musterstadt", "psn-anna", "psn-anna");
    /** Anna after erasure and re-registration: the next pseudonym generation, the same resident key. */
    private static final Resident ANNA_AGAIN = new Resident("anna", "musterstadt", "psn-anna-g1", "psn-anna");
    private static final Resident BERT = new Resident("bert", "musterstadt", "psn-bert", "psn-bert");
    private static final Resident ANNA_ELSEWHERE = new Resident("anna", "nachbarstadt", "psn-anna", "psn-anna");

    @Test
    void aRequestStaysTheResidentsAcrossGenerationsAndIsCheckedAgainstTheGenerationItWasMadeIn() {
        ChangeRequests requests = new ChangeRequests(10);
        ChangeRequests.Request erasure = requests.add(ANNA, "erasure.requested", Instant.EPOCH, new Expectation.PersonGone());
        assertThat(requests.of(ANNA_AGAIN, erasure.id())).containsSame(erasure);
        assertThat(erasure.requester().pseudonym()).isEqualTo("psn-anna");
        assertThat(requests.of(BERT, erasure.id())).as("another resident's id looks unknown").isEmpty();
        assertThat(requests.of(ANNA_ELSEWHERE, erasure.id())).as("another city, another person").isEmpty();
    }
}
