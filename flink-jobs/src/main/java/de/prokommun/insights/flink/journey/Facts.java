package de.prokommun.insights.flink.journey;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A person's live journey facts, each kind in the spec's order (eventTime, participant, id). */
public final class Facts {
    final List<JourneyFact> visits = new ArrayList<>();
    final List<JourneyFact> purchases = new ArrayList<>();
    final List<JourneyFact> engagements = new ArrayList<>();
    final List<JourneyFact> credits = new ArrayList<>();
    final List<JourneyFact> redemptions = new ArrayList<>();
    final List<JourneyFact> earned = new ArrayList<>();
    final List<JourneyFact> redeemed = new ArrayList<>();

    public Facts(Collection<JourneyFact> facts) {
        for (JourneyFact f : facts) {
            switch (f.kind) {
                case JourneyFact.PURCHASE -> {
                    visits.add(f);
                    purchases.add(f);
                }
                case JourneyFact.CHECK_IN -> visits.add(f);
                case JourneyFact.ENGAGEMENT -> engagements.add(f);
                case JourneyFact.EMPLOYER_CREDIT -> credits.add(f);
                case JourneyFact.EMPLOYER_REDEMPTION -> redemptions.add(f);
                case JourneyFact.BONUS_EARNED -> earned.add(f);
                case JourneyFact.BONUS_REDEEMED -> redeemed.add(f);
                default -> throw new IllegalArgumentException("unknown journey fact kind: " + f.kind);
            }
        }
        for (List<JourneyFact> list : List.of(visits, purchases, engagements, credits, redemptions, earned, redeemed)) {
            list.sort(JourneyFact.ORDER);
        }
    }

    /** The visit right after {@code visit} in visit order (whether or not {@code visit} itself is live), or null. */
    JourneyFact visitAfter(JourneyFact visit) {
        for (JourneyFact v : visits) {
            if (JourneyFact.ORDER.compare(v, visit) > 0) return v;
        }
        return null;
    }

    /** The latest credit at or before {@code time} (in order), or null. */
    JourneyFact creditAtOrBefore(long time) {
        JourneyFact latest = null;
        for (JourneyFact c : credits) {
            if (c.eventTime <= time) latest = c;
        }
        return latest;
    }
}
