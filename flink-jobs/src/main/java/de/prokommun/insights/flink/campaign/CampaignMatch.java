package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.events.CampaignAudience;
import de.prokommun.insights.events.ProfileRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: whether a profile row is in a campaign's audience, and why (the reasons shown to the resident, e.g.
 * "ageBand:25-49", "interest:sport"). The same vocabulary and semantics as the query service's audience filter (its
 * Pinot query), so the reach a participant saw and the residents matched agree: within a field any value matches,
 * across fields all must; an empty list or null is no restriction; ages inclusive; a bought category of the first
 * level matches its children; active = last purchase at most n days before today. Consent and objections are
 * {@link CampaignEligibility}'s, not the audience's.
 */
public final class CampaignMatch {
    private CampaignMatch() {}

    /** Matches or not, with the reasons of a match. */
    public record Result(boolean matches, List<String> reasons) {
        static final Result NO = new Result(false, List.of());
    }

    /** {@code today}: epoch day in the city's zone; {@code participant}: the campaign's own participant. */
    public static Result of(CampaignAudience a, String participant, ProfileRow row, int today) {
        List<String> reasons = new ArrayList<>();
        if (a.getAgeFrom() != null || a.getAgeTo() != null) {
            Integer age = row.getAge();
            int from = a.getAgeFrom() == null ? 0 : a.getAgeFrom();
            int to = a.getAgeTo() == null ? 120 : a.getAgeTo();
            if (age == null || age < from || age > to) return Result.NO;
            reasons.add("ageBand:" + row.getAgeBand());
        }
        if (!anyOf(a.getGenders(), List.of(row.getGender()), "gender:", reasons)) return Result.NO;
        if (!anyOf(a.getPersonas(), row.getPersonas(), "persona:", reasons)) return Result.NO;
        if (!anyOf(a.getInterests(), row.getInterests(), "interest:", reasons)) return Result.NO;
        if (!anyOf(a.getDistricts(), row.getDistrict() == null ? List.of() : List.of(row.getDistrict()), "district:", reasons)) {
            return Result.NO;
        }
        if (!anyOf(a.getHouseholdTypes(), List.of(row.getHouseholdType()), "household:", reasons)) return Result.NO;
        if (a.getBoughtCategory() != null) {
            if (!bought(row.getPurchaseTags(), a.getBoughtCategory(), a.getBoughtYear())) return Result.NO;
            reasons.add("category:" + a.getBoughtCategory());
        }
        if (a.getOwnCustomers()) {
            if (!row.getPurchaseTags().contains("customer:" + participant)) return Result.NO;
            reasons.add("customer:" + participant);
        }
        if (a.getActiveWithinDays() != null) {
            Integer last = row.getLastPurchaseDay();
            if (last == null || last < today - a.getActiveWithinDays()) return Result.NO;
            reasons.add("activeWithinDays:" + a.getActiveWithinDays());
        }
        return new Result(true, List.copyOf(reasons));
    }

    /** No restriction, or one of the wanted values is the person's; adds each matched value as a reason. */
    private static boolean anyOf(List<String> wanted, List<String> has, String reason, List<String> reasons) {
        if (wanted == null || wanted.isEmpty()) return true;
        boolean any = false;
        for (String v : has) {
            if (v != null && wanted.contains(v)) {
                reasons.add(reason + v);
                any = true;
            }
        }
        return any;
    }

    /** A tag "category:&lt;id&gt;:&lt;year&gt;" of the category or, for a first-level id, of one of its children. */
    private static boolean bought(List<String> tags, String category, Integer year) {
        for (String tag : tags) {
            if (!tag.startsWith("category:")) continue;
            int colon = tag.lastIndexOf(':');
            String id = tag.substring("category:".length(), colon);
            if (!id.equals(category) && !id.startsWith(category + ".")) continue;
            if (year == null || tag.substring(colon + 1).equals(year.toString())) return true;
        }
        return false;
    }
}
