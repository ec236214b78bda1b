package de.prokommun.insights.query.publication;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fifth dimension of the published cube: how recently a resident last bought in the city, as of the
 * publication's data time, in nested windows of 7, 30, 90 and 365 days (bucket "within30" = 8 to 30 days ago) and
 * "older" (longer ago, or never). A resident is in exactly one bucket, so the dimension adds cells but no
 * sensitivity; it lets the city pulse ("active within 7 days", by persona) and the audience builder's
 * {@code activeWithinDays} of 7, 30, 90 or 365 be answered from the publication instead of ad hoc.
 */
public final class RecentActivity {

    /** The windows, in days, shortest first; "active within d days" = last purchase on or after today − d. */
    public static final List<Integer> WINDOWS = List.of(7, 30, 90, 365);
    public static final String OLDER = "older";

    private RecentActivity() {}

    /** The buckets in cube order: within7, within30, within90, within365, older. */
    public static List<String> buckets() {
        List<String> buckets = new ArrayList<>();
        for (int days : WINDOWS) buckets.add(bucket(days));
        buckets.add(OLDER);
        return List.copyOf(buckets);
    }

    static String bucket(int windowDays) {
        return "within" + windowDays;
    }

    /** The buckets making up "active within {@code days}", or empty when {@code days} is not a window's end. */
    public static Optional<Set<String>> within(int days) {
        int i = WINDOWS.indexOf(days);
        if (i < 0) return Optional.empty();
        List<String> inside = new ArrayList<>();
        for (int w = 0; w <= i; w++) inside.add(bucket(WINDOWS.get(w)));
        return Optional.of(Set.copyOf(inside));
    }
}
