package de.prokommun.insights.bench.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TradeoffPlotTest {

    @Test
    void oneLinePerCapAndAGoalLinePerPanelWithAGoal() {
        List<Tradeoff> points = List.of(
                new Tradeoff(1, 1, 90, Map.of(SizeClass.LARGE, 4.0, SizeClass.MEDIUM, 20.0), Map.of()),
                new Tradeoff(1, 2, 130, Map.of(SizeClass.LARGE, 6.0, SizeClass.MEDIUM, 30.0), Map.of()),
                new Tradeoff(4, 1, 23, Map.of(SizeClass.LARGE, 1.0, SizeClass.MEDIUM, 5.0), Map.of()),
                new Tradeoff(4, 2, 33, Map.of(SizeClass.LARGE, 1.5, SizeClass.MEDIUM, 7.0), Map.of()));
        String svg = TradeoffPlot.svg(points, List.of(1.0, 4.0), List.of(1, 2), List.of(SizeClass.LARGE, SizeClass.MEDIUM));
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
        assertThat(svg.split("<path ", -1)).hasSize(1 + 2 * 2);           // 2 caps × 2 panels
        assertThat(svg.split("stroke-dasharray", -1)).hasSize(1 + 2 + 1); // 2 goal lines + the legend's
        assertThat(svg).contains("cap ε = 1").contains("cap ε = 4").contains("audiences ≥ 5,000");
    }

    @Test
    void theYAxisIsLogarithmicAndClamped() {
        assertThat(TradeoffPlot.y(1) - TradeoffPlot.y(10)).isCloseTo(TradeoffPlot.y(10) - TradeoffPlot.y(100),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(TradeoffPlot.y(1_000)).isEqualTo(TradeoffPlot.y(100));
        assertThat(TradeoffPlot.y(0)).isEqualTo(TradeoffPlot.y(0.1));
    }
}
