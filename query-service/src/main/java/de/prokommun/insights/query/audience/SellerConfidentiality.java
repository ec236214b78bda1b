package de.prokommun.insights.query.audience;

import de.prokommun.insights.privacy.Asker;
import java.util.Collection;

/**
 * Business confidentiality on the ad-hoc path (issue 15, item 3; docs/PRIVACY.md section 24): before a question
 * about the buyers of categories in some periods is answered, the sellers of each category-period are weighed with
 * the city's dominance rule. A sensitive cell (too few sellers, or dominated) is that seller's business figure: it
 * is refused for every participant except its only seller, and for the operator unless the city exempts it.
 */
public interface SellerConfidentiality {

    /**
     * @param field      the request field that names the category, for the 403
     * @param categories the second-level categories the figure counts (a first-level category: all of its leaves)
     * @param yearly     true: {@code periods} are years (yyyy), false: months (yyyyMM)
     * @throws ForbiddenFieldException (403) naming the field, the category and the period, if the asker may not read it
     */
    void check(Asker asker, String field, Collection<String> categories, boolean yearly, Collection<Integer> periods);

    /**
     * The cells of one answer weighed one by one (docs/PRIVACY.md section 24): each category of {@code categories} on
     * its own when {@code eachCategory} (e.g. the category nodes of journey flows), else all of them as one pool; only
     * the sales to residents of the answer's segment ({@code within}); and, with a {@code segmentColumn}, each of its
     * values among {@code segmentValues} (the rows of a breakdown) on its own — a segment cell dominated by one seller
     * is that seller's figure even when the whole category is not.
     *
     * @param segmentColumn the contributions column of the breakdown, or null for none
     * @param segmentValues the breakdown's rows to weigh (null: every value)
     */
    default void checkCells(Asker asker, String field, Collection<String> categories, boolean eachCategory, boolean yearly,
                            Collection<Integer> periods, de.prokommun.insights.query.insights.SegmentFilter within,
                            String segmentColumn, Collection<String> segmentValues) {
        check(asker, field, categories, yearly, periods);
    }

    /**
     * A category at every level the answer reveals (docs/PRIVACY.md section 24): the level asked — the pool of
     * {@code categories}, a first-level category's sub-categories together — and each sub-category on its own, since
     * a first-level figure beside the figures of its other sub-categories tells one sub-category's figure (a
     * sub-category one seller dominates inside a balanced first-level category is that seller's figure). Within
     * {@code within}, and per value of {@code segmentColumn} as {@link #checkCells}.
     */
    default void checkLevels(Asker asker, String field, Collection<String> categories, boolean yearly,
                             Collection<Integer> periods, de.prokommun.insights.query.insights.SegmentFilter within,
                             String segmentColumn, Collection<String> segmentValues) {
        checkCells(asker, field, categories, false, yearly, periods, within, segmentColumn, segmentValues);
        if (categories.size() > 1) {
            checkCells(asker, field, categories, true, yearly, periods, within, segmentColumn, segmentValues);
        }
    }

    /** No check: for tests of the release mechanism in a city without competitors. */
    SellerConfidentiality NONE = (asker, field, categories, yearly, periods) -> { };
}
