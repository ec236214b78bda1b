package de.prokommun.insights.query.audience;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which of a resident's objections to offers (DSGVO Art. 21, {@code ProfileRow.offerObjections}) apply to a campaign:
 * {@code all}, the campaign's participant, and the offer's category together with its first-level parent (an
 * objection to "lebensmittel" covers an offer about "lebensmittel.backwaren").
 */
public final class OfferObjections {
    private OfferObjections() {}

    public static SortedSet<String> against(String participant, String category, CategoryTaxonomy taxonomy) {
        SortedSet<String> scopes = new TreeSet<>();
        scopes.add("all");
        scopes.add("participant:" + participant);
        if (category != null) {
            scopes.add("category:" + category);
            taxonomy.childrenByParent().forEach((parent, children) -> {
                if (children.contains(category)) scopes.add("category:" + parent);
            });
        }
        return scopes;
    }
}
