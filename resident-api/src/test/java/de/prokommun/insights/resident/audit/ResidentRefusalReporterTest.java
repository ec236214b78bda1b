package de.prokommun.insights.resident.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What of a refusal is the resident API's own (the masking of values, the refusal rule and the fingerprint are the
 * one reporting's, RefusalReportingTest in http-kernel): no id of the path.
 */
class ResidentRefusalReporterTest {

    @Test
    void theReceiptAndRequestIdOfAPathAreLeftOut() {
        assertThat(ResidentRefusalReporter.pathWithoutIds("/api/v1/me/purchases/R-geheim-4711"))
                .isEqualTo("/api/v1/me/purchases/:receipt");
        assertThat(ResidentRefusalReporter.pathWithoutIds("/api/v1/me/requests/0b1c-22")).isEqualTo("/api/v1/me/requests/:requestId");
        assertThat(ResidentRefusalReporter.pathWithoutIds("/api/v1/me")).isEqualTo("/api/v1/me");
    }
}
