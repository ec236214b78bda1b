package de.prokommun.insights.query.insights;

import de.prokommun.insights.contract.Measures.Names;
import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.Question;
import java.util.List;

/**
 * The figures of a campaign's results and the contribution measures they sum (docs/CAMPAIGNS.md, "Results"): the
 * campaign job writes rows with participant = the campaign's participant and counterpart = the campaign id, and
 * {@code campaign_converted} rows carry the group ("treatment" or "control") in {@code category}. Each figure counts
 * a resident at most once. Figures whose residents are disjoint (the two groups; the conversions of the two groups)
 * are the cells of one question; the others are a question each, as one resident appears in several of them.
 */
final class CampaignFigures {
    private CampaignFigures() {}

    static final String KIND = "campaign.results";
    static final String TREATMENT = "treatment";
    static final String CONTROL = "control";
    static final String DELIVERED = "delivered";
    static final String OPENED = "opened";
    static final String REDEEMED = "redeemed";
    static final String CONVERTED_TREATMENT = "convertedTreatment";
    static final String CONVERTED_CONTROL = "convertedControl";

    /** One figure: its name in the answer, the measure it sums and, for conversions, the group in {@code category}. */
    record Figure(String name, String measure, String group) {}

    /** One released question and its (disjoint) figures. */
    record Part(String name, List<Figure> figures) {}

    static final List<Part> PARTS = List.of(
            new Part("groups", List.of(new Figure(TREATMENT, Names.CAMPAIGN_TREATMENT, null),
                    new Figure(CONTROL, Names.CAMPAIGN_CONTROL, null))),
            new Part(DELIVERED, List.of(new Figure(DELIVERED, Names.CAMPAIGN_DELIVERED, null))),
            new Part(OPENED, List.of(new Figure(OPENED, Names.CAMPAIGN_OPENED, null))),
            new Part(REDEEMED, List.of(new Figure(REDEEMED, Names.CAMPAIGN_REDEEMED, null))),
            new Part("converted", List.of(new Figure(CONVERTED_TREATMENT, Names.CAMPAIGN_CONVERTED, "treatment"),
                    new Figure(CONVERTED_CONTROL, Names.CAMPAIGN_CONVERTED, "control"))));

    /** The weekly frequency cap's effect, for the operator: residents whose offer of one campaign it held back. */
    static final String HELD_KIND = "campaign.held_by_weekly_cap";
    static final String HELD = "heldByWeeklyCap";

    static Question heldQuestion(String campaignId) {
        return CanonicalQuestion.of(HELD_KIND).param("campaign", campaignId).build();
    }

    static Question question(String campaignId, String part) {
        return CanonicalQuestion.of(KIND).param("campaign", campaignId).param("figures", part).build();
    }

    /** One part broken down by a segment dimension: cells "figure/segment", disjoint (one segment per resident). */
    static Question question(String campaignId, String part, String by) {
        return CanonicalQuestion.of(KIND).param("campaign", campaignId).param("figures", part).param("breakdown", by)
                .build();
    }

    static String cellLabel(String figure, String segment) {
        return figure + "/" + segment;
    }
}
