package de.prokommun.insights.query.audience;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;

/**
 * What an asker may ask about beyond the city's residents in general: a participant only about its own
 * customers (its competitors' customer bases are their business secrets); the operator about any participant's.
 */
public final class AskerScope {
    private AskerScope() {}

    public static void check(Asker asker, AudienceFilter filter) {
        checkCustomerOf(asker, filter.customerOf(), "filter.customerOf");
    }

    public static void checkCustomerOf(Asker asker, String customerOf, String field) {
        if (customerOf != null && asker.role() == AskerRole.PARTICIPANT && !customerOf.equals(asker.id())) {
            throw new ForbiddenFieldException(field, "a participant may ask only about its own customers ('"
                    + asker.id() + "'), not about '" + customerOf + "'");
        }
    }
}
