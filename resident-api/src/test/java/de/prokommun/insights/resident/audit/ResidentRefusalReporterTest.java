package de.prokommun.insights.resident.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of a refusal may reach the operator's audit: no value the resident sent, no id of the path. */
class ResidentRefusalReporterTest {

    @Test
    void quotedValuesAndNumbersOfTheReasonAreLeftOut() {
        assertThat(ResidentRefusalReporter.withoutValues(
                "invalid request: postcode: '45468x' is not a postcode of musterstadt; birthYear: 1890 is before 1900"))
                .isEqualTo("invalid request: postcode: '…' is not a postcode of musterstadt; birthYear: # is before #");
        assertThat(ResidentRefusalReporter.withoutValues("claim 'city': the city 'fremdstadt' is not served"))
                .isEqualTo("claim '…': the city '…' is not served");
    }

    @Test
    void theReceiptAndRequestIdOfAPathAreLeftOut() {
        assertThat(ResidentRefusalReporter.pathWithoutIds("/api/v1/me/purchases/R-geheim-4711"))
                .isEqualTo("/api/v1/me/purchases/:receipt");
        assertThat(ResidentRefusalReporter.pathWithoutIds("/api/v1/me/requests/0b1c-22")).isEqualTo("/api/v1/me/requests/:requestId");
        assertThat(ResidentRefusalReporter.pathWithoutIds("/api/v1/me")).isEqualTo("/api/v1/me");
    }

    @Test
    void aRefusalIsA4xxOtherThan404And405() {
        assertThat(ResidentRefusalReporter.isRefusal(401)).isTrue();
        assertThat(ResidentRefusalReporter.isRefusal(429)).isTrue();
        assertThat(ResidentRefusalReporter.isRefusal(404)).isFalse();
        assertThat(ResidentRefusalReporter.isRefusal(405)).isFalse();
        assertThat(ResidentRefusalReporter.isRefusal(503)).isFalse();
    }
}
