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

    /** No check: for tests of the release mechanism in a city without competitors. */
    SellerConfidentiality NONE = (asker, field, categories, yearly, periods) -> { };
}
