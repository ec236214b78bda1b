package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ErasureRequested;

/**
 * Which events end a person's profiling: erasure and withdrawal of analytics consent (a ConsentChanged with
 * analytics=false or a registration without analytics consent). Every operator of the profile chain clears its
 * state and timers of the person on them, so they share this one definition.
 */
final class PersonEnds {
    private PersonEnds() {}

    static boolean withdrawsConsent(Object payload) {
        if (payload instanceof ConsentChanged c) return Boolean.FALSE.equals(c.getAnalytics());
        return payload instanceof AnonymousRegistration r && !r.getConsents().getAnalytics();
    }

    /** Erasure or withdrawal of analytics consent. */
    static boolean endsProfiling(Object payload) {
        return withdrawsConsent(payload) || payload instanceof ErasureRequested;
    }

    /** A registration with analytics consent: the event that starts a profile. */
    static boolean startsProfile(Object payload) {
        return payload instanceof AnonymousRegistration && !withdrawsConsent(payload);
    }
}
