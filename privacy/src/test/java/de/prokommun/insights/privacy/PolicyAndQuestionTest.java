package de.prokommun.insights.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.noise.Rational;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PolicyAndQuestionTest {

    private static final Path CITIES = Path.of("..", "cities");

    @Test
    void musterstadtsPrivacyJsonLoadsWithExactDecimals() {
        PrivacyPolicy policy = PrivacyPolicy.loadCities(CITIES);
        assertThat(policy.cities()).contains("musterstadt");
        CityPolicy city = policy.city("musterstadt");
        assertThat(city.zone().getId()).isEqualTo("Europe/Berlin");
        RoleRules participant = city.rules(AskerRole.PARTICIPANT);
        // The ad-hoc rules for the city-wide cap (docs/PRIVACY.md section 6): the discrete Gaussian at ε 0.11, δ 10⁻⁶.
        assertThat(participant.mechanism()).isEqualTo(Mechanism.DISCRETE_GAUSSIAN);
        assertThat(Rational.of(participant.epsilonPerQuestion())).isEqualTo(Rational.of(11, 100));
        assertThat(participant.delta()).isEqualByComparingTo("1e-6");
        assertThat(participant.minCellSize()).isEqualTo(10);
        assertThat(participant.dayBudget()).isEqualByComparingTo("3");
        assertThat(participant.monthBudget()).isEqualByComparingTo("15");
        assertThat(participant.display().locale().getLanguage()).isEqualTo("de");
        assertThat(city.rules(AskerRole.OPERATOR).epsilonPerQuestion()).isEqualByComparingTo("0.11");
        // ρ of one count: 1/(2σ²) with σ² rounded up, just below the root of ρ + 2√(ρ ln 10⁶) = 0.11 (≈ 0.0002181).
        double rho = NoiseCalibration.rho(participant, 1);
        double l = Math.log(1e6);
        double root = Math.sqrt(l + 0.11) - Math.sqrt(l);
        assertThat(rho).isLessThanOrEqualTo(root * root * (1 + 1e-9)).isGreaterThan(root * root * (1 - 1e-6));
        // The Laplace scale for a count at ε = 0.15 is exactly 20/3.
        assertThat(NoiseCalibration.laplaceScale(new java.math.BigDecimal("0.15"), 1)).isEqualTo(Rational.of(20, 3));
    }

    private static String json(String participantFields) {
        return """
                {"city": "x", "timeZone": "Europe/Berlin", "roles": {
                  "participant": {%s},
                  "operator": {"epsilonPerQuestion": 0.25, "budget": {"day": 5, "month": 30}}}}
                """.formatted(participantFields);
    }

    @Test
    void aBadPolicyIsRejectedNamingTheFieldAndTheReason() {
        assertThatThrownBy(() -> PrivacyPolicy.parse(json("\"epsilonPerQuestion\": 0, \"budget\": {\"day\": 3, \"month\": 15}"), "x.json"))
                .hasMessageContaining("x.json").hasMessageContaining("roles.participant.epsilonPerQuestion must be > 0");
        assertThatThrownBy(() -> PrivacyPolicy.parse(json("\"epsilonPerQuestion\": 0.1, \"budget\": {\"day\": 3}"), "x.json"))
                .hasMessageContaining("roles.participant.budget.month is required");
        assertThatThrownBy(() -> PrivacyPolicy.parse(json("\"epsilonPerQuestion\": 0.1, \"epsilon\": 1, \"budget\": {\"day\": 3, \"month\": 15}"), "x.json"))
                .hasMessageContaining("roles.participant.epsilon is not a known field");
        assertThatThrownBy(() -> PrivacyPolicy.parse(json("\"mechanism\": \"laplace-float\", \"epsilonPerQuestion\": 0.1, \"budget\": {\"day\": 3, \"month\": 15}"), "x.json"))
                .hasMessageContaining("roles.participant.mechanism must be discrete-laplace or discrete-gaussian");
        assertThatThrownBy(() -> PrivacyPolicy.parse(json("\"mechanism\": \"discrete-gaussian\", \"epsilonPerQuestion\": 0.5, \"budget\": {\"day\": 3, \"month\": 15}"), "x.json"))
                .hasMessageContaining("delta must be > 0");
        assertThatThrownBy(() -> PrivacyPolicy.parse(json("\"epsilonPerQuestion\": 0.5, \"budget\": {\"day\": 0.2, \"month\": 15}"), "x.json"))
                .hasMessageContaining("budget.day must be at least epsilonPerQuestion");
        assertThatThrownBy(() -> PrivacyPolicy.parse("{\"city\": \"x\", \"timeZone\": \"Mars/Olympus\", \"roles\": {}}", "x.json"))
                .hasMessageContaining("timeZone is not a known time zone");
        assertThatThrownBy(() -> PrivacyPolicy.parse("{\"city\": \"x\", \"roles\": {\"participant\": {\"epsilonPerQuestion\": 0.1, \"budget\": {\"day\": 3, \"month\": 15}}}}", "x.json"))
                .hasMessageContaining("roles.operator is required");
        CityPolicy gaussian = PrivacyPolicy.parse(json("\"mechanism\": \"discrete-gaussian\", \"epsilonPerQuestion\": 0.5, \"delta\": 1e-9, \"budget\": {\"day\": 3, \"month\": 15}"), "x.json");
        assertThat(gaussian.rules(AskerRole.PARTICIPANT).delta()).isEqualByComparingTo(new BigDecimal("1e-9"));
    }

    @Test
    void canonicalFormsAreDeterministicAndEscaped() {
        Question q = CanonicalQuestion.of("audience.size").param("district", "Saarn").anyOf("interests", List.of("Kultur", "Sport,Freizeit"))
                .param("note", "a&b=c?d%").flag("consentOffers", true).build();
        assertThat(q.canonicalForm()).isEqualTo(
                "audience.size?consentOffers=true&district=Saarn&interests=Kultur,Sport\\,Freizeit&note=a%26b%3Dc%3Fd%25");
        // A value with a comma is not the same as two values.
        assertThat(CanonicalQuestion.of("a").param("k", "x,y").build().canonicalForm())
                .isNotEqualTo(CanonicalQuestion.of("a").anyOf("k", List.of("x", "y")).build().canonicalForm());
        // Unicode: composed and decomposed "ß/ü" are the same question.
        assertThat(CanonicalQuestion.of("a").param("district", "Dümpten").build())
                .isEqualTo(CanonicalQuestion.of("a").param("district", "Du\u0308mpten").build());
        // A Question built by hand from an unsorted map is sorted too.
        TreeMap<String, String> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.put("a", "1");
        reversed.put("b", "2");
        assertThat(new Question("k", reversed).canonicalForm()).isEqualTo("k?a=1&b=2");
        assertThat(Question.of("streaming.health").canonicalForm()).isEqualTo("streaming.health");
    }

    @Test
    void badQuestionsAreRejectedNamingTheParameter() {
        assertThatThrownBy(() -> CanonicalQuestion.of("a").param("district", "Saarn").anyOf("district", List.of("Broich")))
                .hasMessageContaining("question.parameters.district is given twice");
        assertThatThrownBy(() -> CanonicalQuestion.of("a").anyOf("district", List.of())).hasMessageContaining("district must name at least one value");
        assertThatThrownBy(() -> CanonicalQuestion.of("a").param("district", " ")).hasMessageContaining("question.parameters.district must not be blank");
        assertThatThrownBy(() -> CanonicalQuestion.of("a").range("age", 40, 30)).hasMessageContaining("age range is empty");
        assertThatThrownBy(() -> CanonicalQuestion.of("Audience Size").build()).hasMessageContaining("question.kind");
    }

    @Test
    void displayRoundsToSignificantDigitsAndGroupsByLocale() {
        DisplayRule de = new DisplayRule(3, Locale.GERMANY), en = new DisplayRule(3, Locale.UK);
        assertThat(de.show(1234)).isEqualTo("1.230");
        assertThat(en.show(1234)).isEqualTo("1,230");
        assertThat(de.show(1235)).isEqualTo("1.240");
        assertThat(de.show(47)).isEqualTo("47");
        assertThat(de.show(0)).isEqualTo("0");
        assertThat(de.show(99_951)).isEqualTo("100.000");
        assertThat(de.show(1_234_567)).isEqualTo("1.230.000");
        assertThat(de.fewerThan(10)).isEqualTo("weniger als 10");
        assertThat(en.fewerThan(50_000)).isEqualTo("fewer than 50,000");
        assertThatThrownBy(() -> new DisplayRule(0, Locale.GERMANY)).hasMessageContaining("display.significantDigits");
    }
}
