package de.prokommun.insights.resident.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResidentPseudonymTest {

    private static final String SECRETS = "musterstadt:geheimnis-der-stadt-0123456789,nachbarstadt:ein-anderes-geheimnis-42";

    /**
     * Computed once with flink-jobs' Pseudonymizer.residentPseudonym for the same secrets and references
     * (CitySecrets.parse(SECRETS)); if either side changes its derivation, a resident no longer finds their rows.
     */
    @Test
    void matchesThePseudonymizersOutput() {
        ResidentPseudonym p = ResidentPseudonym.parse(SECRETS);
        assertThat(p.of("musterstadt", "resident-4711")).contains("eqO6F-WaVuGSRPp4ERUNPbTJc_12UwiiGoknmf61BRQ");
        assertThat(p.of("nachbarstadt", "resident-4711")).contains("Aauhm2tjiMgc8vv6h58jZ2g4ckp_GrzFXgzCwzsquWE");
        assertThat(p.of("musterstadt", "Ä-ü 42")).contains("YBq7jn9dLohsty5vVpQWt2oa4GMMytuqzFXIMIBKSRY");
    }

    @Test
    void aCityWithoutSecretHasNoPseudonyms() {
        assertThat(ResidentPseudonym.parse(SECRETS).of("anderswo", "resident-4711")).isEmpty();
    }

    @Test
    void badSpecificationsNameTheCityButNeverTheSecret() {
        assertThatThrownBy(() -> ResidentPseudonym.parse("musterstadt:kurz"))
                .hasMessageContaining("musterstadt").hasMessageNotContaining("kurz");
        assertThatThrownBy(() -> ResidentPseudonym.parse("ohne-doppelpunkt")).hasMessageContaining("city:secret");
        assertThatThrownBy(() -> ResidentPseudonym.parse("a:0123456789abcdefgh,a:0123456789abcdefgh")).hasMessageContaining("twice");
        assertThat(ResidentPseudonym.parse(SECRETS).toString()).doesNotContain("geheimnis");
    }
}
