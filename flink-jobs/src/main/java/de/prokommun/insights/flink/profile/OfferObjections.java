package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.OffersObjected;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * A person's standing objections to offers (DSGVO Art. 21(2)-(3), issue 18): an objection adds its scope, a withdrawn
 * one removes it; kept sorted, so the profile row (and its fingerprint) does not depend on the order of objections.
 */
final class OfferObjections {
    private OfferObjections() {}

    static String[] apply(String[] standing, OffersObjected objection) {
        TreeSet<String> scopes = new TreeSet<>(standing == null ? java.util.List.of() : Arrays.asList(standing));
        String scope = objection.getScope() == null ? "" : objection.getScope().trim();
        if (scope.isEmpty()) return scopes.toArray(new String[0]);
        if (objection.getWithdrawn()) scopes.remove(scope);
        else scopes.add(scope);
        return scopes.toArray(new String[0]);
    }
}
