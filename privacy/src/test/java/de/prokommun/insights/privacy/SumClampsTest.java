package de.prokommun.insights.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SumClampsTest {

    @Test
    void musterstadtDeclaresItsClampsAndThePolicyStillLoads() {
        Path file = Path.of("..", "cities", "musterstadt", "privacy.json");
        assertThat(SumClamps.load(file)).isEqualTo(new SumClamps(20, 50_000));
        assertThat(PrivacyPolicy.load(file).city()).isEqualTo("musterstadt");
    }

    @Test
    void missingClampsMeanTheDefaultsAndPartialClampsKeepTheOtherDefault() {
        assertThat(SumClamps.parse("{\"city\": \"x\"}", "t")).isEqualTo(SumClamps.DEFAULT);
        assertThat(SumClamps.parse("{\"clamps\": {\"purchasesPerPersonMonth\": 5}}", "t"))
                .isEqualTo(new SumClamps(5, SumClamps.DEFAULT.spendCentsPerPersonMonth()));
    }

    @Test
    void badClampsAreErrorsNamingTheField() {
        assertThatThrownBy(() -> SumClamps.parse("{\"clamps\": {\"purchasesPerPersonMonth\": 0}}", "f.json"))
                .hasMessageContaining("f.json").hasMessageContaining("clamps.purchasesPerPersonMonth must be positive");
        assertThatThrownBy(() -> SumClamps.parse("{\"clamps\": {\"spendCentsPerPersonMonth\": 1.5}}", "f.json"))
                .hasMessageContaining("clamps.spendCentsPerPersonMonth must be a whole number");
        assertThatThrownBy(() -> SumClamps.parse("{\"clamps\": {\"spend\": 1}}", "f.json"))
                .hasMessageContaining("clamps.spend is not a known field");
        assertThatThrownBy(() -> PrivacyPolicy.parse("{\"city\": \"x\", \"roles\": {}, \"clamps\": []}", "p.json"))
                .hasMessageContaining("clamps must be an object");
    }
}
