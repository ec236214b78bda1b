package de.prokommun.insights.query.journey;

import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.query.insights.Granularity;
import de.prokommun.insights.query.insights.SegmentFilter;
import java.util.List;

/**
 * The validated journey questions. {@code focus} is the participant whose rows alone are answered (a participant
 * asker's own id: it sees only figures that involve itself); null means the whole city (operator).
 */
public final class JourneyRequests {
    private JourneyRequests() {}

    /** A calendar month (yyyyMM) or year (yyyy). */
    public record Period(Granularity granularity, int value) {
        public String label() { return granularity.label(value); }

        /** The months (yyyyMM) the period spans: one, or the twelve of the year. */
        public List<Integer> months() {
            return granularity == Granularity.MONTH ? List.of(value)
                    : Granularity.MONTH.periods(value * 100 + 1, value * 100 + 12);
        }
    }

    /** The nodes of a flow: participants (column participant) or main categories (column category). */
    public enum Level {
        PARTICIPANT("participant", "participant", Measures.FLOW_MONTH.name()),
        CATEGORY("category", "category", Measures.CATEGORY_FLOW_MONTH.name());

        private final String apiName;
        private final String column;
        private final String measure;

        Level(String apiName, String column, String measure) {
            this.apiName = apiName;
            this.column = column;
            this.measure = measure;
        }

        public String apiName() { return apiName; }

        String column() { return column; }

        String measure() { return measure; }
    }

    /** The time between two visits a flow counts within: its lag bucket in hours. */
    public enum Within {
        HOUR("1h", 1), DAY("24h", 24), WEEK("7d", 168), MONTH("30d", 720);

        private final String apiName;
        private final int hours;

        Within(String apiName, int hours) {
            this.apiName = apiName;
            this.hours = hours;
        }

        public String apiName() { return apiName; }

        public int hours() { return hours; }
    }

    public record CrossShopping(Period period, List<String> participants, SegmentFilter segment, String focus) {
        public CrossShopping { participants = List.copyOf(participants); }
    }

    public record Flows(Period period, Level level, List<String> nodes, Within within, SegmentFilter segment,
                        String focus) {
        public Flows { nodes = List.copyOf(nodes); }
    }

    public record FirstVisits(Period period, SegmentFilter segment, String focus) {}

    /** {@code participant}: only visits of this participant (null = every participant). */
    public record WhenWhere(Period period, SegmentFilter segment, String participant) {}

    public record Vouchers(Period period, String focus) {}

    /** Always one participant and one month. */
    public record Engagement(Period period, String participant) {}
}
